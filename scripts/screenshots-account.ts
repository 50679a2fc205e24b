// Accounts (v3) for docs/screenshots: alice keeps her nickname (a password and a passkey, made
// with a CDP virtual authenticator), her Account dialog, the login page asking for her
// password, and a Chinese guest's notice and Account dialog.
import type { Browser, Page } from "playwright-core";
import {
  addVirtualAuthenticator,
  enterChat,
  openLogin,
  waitConnected,
} from "../tests/support/browser";

export const PASSWORD = "correct horse battery staple 42";

type Shoot = (
  page: Page,
  name: string,
  before?: () => Promise<void>,
  sizes?: Partial<Record<"desktop" | "phone", { width: number; height: number }>>,
) => Promise<void>;

/** Secures the page's user with a password, so the guest notice is not in every shot. */
export async function securePassword(page: Page): Promise<void> {
  await page.evaluate(async (password) => {
    await fetch("/api/account/password", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ password }),
    });
  }, PASSWORD);
  await page.reload();
  await waitConnected(page);
}

/** The Account dialog open (the sidebar first, on a phone). */
async function openAccount(page: Page, account: string, toggle: string): Promise<void> {
  const dialog = page.getByRole("dialog", { name: account, exact: true });
  if (await dialog.isVisible()) await page.keyboard.press("Escape");
  const sidebar = page.getByRole("button", { name: toggle, exact: true });
  if ((await sidebar.isVisible()) && (await sidebar.getAttribute("aria-expanded")) !== "true") {
    await sidebar.click();
  }
  await page.getByRole("button", { name: account, exact: true }).click();
  await dialog.waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>("dialog img")].every((i) => i.complete),
  );
}

export async function shootAccounts(
  browser: Browser,
  page: Page,
  url: string,
  shoot: Shoot,
  phone: { width: number; height: number },
): Promise<void> {
  // A passkey needs a domain as the relying party: localhost, not 127.0.0.1.
  await addVirtualAuthenticator(page);
  await openAccount(page, "Account", "Online users and rooms");
  const dialog = page.getByRole("dialog", { name: "Account", exact: true });
  await dialog.getByRole("textbox", { name: "Passkey name", exact: true }).fill("Laptop");
  await dialog.getByRole("button", { name: "Add a passkey", exact: true }).click();
  await dialog.getByRole("button", { name: "Remove", exact: true }).waitFor();
  await page.keyboard.press("Escape");
  await shoot(page, "account", () => openAccount(page, "Account", "Online users and rooms"));
  await page.keyboard.press("Escape");

  // Someone else typing alice's nickname is asked for her password.
  const login = await openLogin(browser, url, { deviceScaleFactor: 2 });
  await login.page.getByRole("textbox", { name: "Nickname", exact: true }).fill("alice");
  await login.page.getByRole("button", { name: "Enter", exact: true }).click();
  await login.page.getByRole("textbox", { name: "Password", exact: true }).waitFor();
  await shoot(login.page, "login-password");
  await login.context.close();

  // A guest, in Chinese: the notice above the message box, then its Account dialog.
  const guest = await enterChat(browser, url, "小明", {
    locale: "zh-CN",
    avatar: "panda",
    deviceScaleFactor: 2,
    viewport: phone,
  });
  const keep = guest.page.getByRole("button", { name: "保留我的昵称", exact: true });
  await keep.waitFor();
  await shoot(guest.page, "guest-zh", async () => keep.waitFor(), { phone });
  await shoot(guest.page, "account-zh", () => openAccount(guest.page, "账号", "在线用户和聊天室"), {
    phone,
  });
  await guest.context.close();
}
