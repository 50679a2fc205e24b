// Drives the real pages in Debian's Chromium with playwright-core: one browser per test file,
// a fresh context (cookies, storage) per user.
import AxeBuilder from "@axe-core/playwright";
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from "playwright-core";
import { CATALOGUES, type Lang } from "../../common/i18n";
import { AVATARS } from "../../server/auth/avatars";
import { CHROMIUM } from "./system";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM.binary,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export type ChatUser = {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Messages of every alert/confirm/prompt the page opened (there should be none). */
  dialogs: string[];
};

/** A new context with the login page open. */
export async function openLogin(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<ChatUser & { name: "" }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(url);
  return { name: "", context, page, dialogs };
}

/** Logs in through the form and waits until the chat page's socket is connected. */
export async function enterChat(
  browser: Browser,
  url: string,
  name: string,
  { avatar = "fox", ...options }: BrowserContextOptions & { avatar?: string } = {},
): Promise<ChatUser> {
  const user = await openLogin(browser, url, options);
  const lang: Lang = options.locale?.startsWith("zh") ? "zh" : "en";
  await submitLogin(user.page, name, avatar, lang);
  await user.page.waitForURL("**/chat");
  await waitConnected(user.page);
  return { ...user, name };
}

/** Fills and submits the login form; `avatar` is an avatar id, found by its label. */
export async function submitLogin(
  page: Page,
  name: string,
  avatar = "fox",
  lang: Lang = "en",
): Promise<void> {
  const t = CATALOGUES[lang];
  const label = AVATARS.find((a) => a.id === avatar)?.label[lang] ?? avatar;
  await page.getByRole("textbox", { name: t.nickname }).fill(name);
  await page
    .getByRole("radiogroup", { name: t.avatar })
    .getByRole("radio", { name: label })
    .check();
  await page.getByRole("button", { name: t.enter }).click();
}

export function waitConnected(page: Page, state: "online" | "offline" = "online"): Promise<void> {
  return page
    .locator(`body[data-connection="${state}"]`)
    .waitFor({ state: "attached" })
    .then(() => undefined);
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("textbox", { name: "Message" }).press("Enter");
}

/** Message texts in the log, exactly as shown. */
export function messageText(page: Page, text: string | RegExp): Locator {
  return page.getByRole("log").locator(".text").filter({ hasText: text });
}

export async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}

/** Waits until the locator matches exactly `count` elements. */
export async function waitForCount(
  locator: Locator,
  count: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} matches, saw ${seen}`);
    await new Promise((r) => setTimeout(r, 50));
    seen = await locator.count();
  }
}

/** The button for another user in the "Online users" list: its name starts with the nickname. */
export function userButton(page: Page, name: string, lang: Lang = "en"): Locator {
  return page
    .getByRole("list", { name: CATALOGUES[lang].onlineUsers })
    .getByRole("button", { name: new RegExp(`^${escapeRegExp(name)}`) });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** axe-core violations with serious or critical impact, as "rule: target" lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

/**
 * A CDP virtual authenticator in the page's browser (a platform passkey store with user
 * verification): WebAuthn ceremonies then complete without a prompt.
 */
export async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return {
    add: (credential: Record<string, unknown>) =>
      cdp.send("WebAuthn.addCredential", { authenticatorId, credential } as never),
    credentials: async () =>
      (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials,
  };
}
