/// <reference lib="dom" />
// The Account dialog and the guest notice in real Chromium: picture, password and passkeys
// (a CDP virtual authenticator), on a phone, in Chinese, and on a plain-http LAN name.
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import {
  addVirtualAuthenticator,
  enterChat,
  launchBrowser,
  seriousViolations,
  userButton,
  type ChatUser,
} from "../support/browser";
import { uniqueName } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

const GOOD_PASSWORD = "correct horse battery staple 42";
let server: TestServer;
let browser: Browser;
const open: ChatUser[] = [];

beforeAll(async () => {
  // chat.lan resolves to this machine; http://chat.lan is not a secure context (no WebAuthn).
  [server, browser] = await Promise.all([
    startServer(),
    launchBrowser(["--host-resolver-rules=MAP chat.lan 127.0.0.1"]),
  ]);
});

afterEach(async () => {
  for (const u of open.splice(0)) {
    expect(u.dialogs).toEqual([]);
    await u.context.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function enter(
  name: string,
  options: Parameters<typeof enterChat>[3] = {},
  url = server.url,
) {
  const user = await enterChat(browser, url, uniqueName(name), options);
  open.push(user);
  return user;
}

async function openAccount(page: Page, button = "Account", title = "Account") {
  const sidebarToggle = page.getByRole("button", { name: "Online users and rooms", exact: true });
  if (await sidebarToggle.isVisible()) await sidebarToggle.click();
  await page.getByRole("button", { name: button, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: title, exact: true });
  await dialog.waitFor();
  return dialog;
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

test("a guest's notice opens the Account dialog, which fits 360 px and passes axe", async () => {
  const { page } = await enter("guest", { viewport: { width: 360, height: 640 } });
  const keep = page.getByRole("button", { name: "Keep my name", exact: true });
  await keep.waitFor();
  expect(await page.getByRole("button", { name: "Not now", exact: true }).count()).toBe(1);
  // In the page's flow above the composer: the message box stays uncovered.
  const notice = await page.locator("#guest-notice").boundingBox();
  const box = await page.getByRole("textbox", { name: "Message", exact: true }).boundingBox();
  expect(notice!.y + notice!.height).toBeLessThanOrEqual(box!.y);
  expect(await noHorizontalScroll(page)).toBe(true);

  await keep.click();
  const dialog = page.getByRole("dialog", { name: "Account", exact: true });
  await dialog.waitFor();
  const avatars = dialog.getByRole("radiogroup", { name: "Avatar", exact: true });
  await avatars.getByRole("radio", { name: "Fox", exact: true }).waitFor();
  expect(await avatars.getByRole("radio", { name: "Fox", exact: true }).isChecked()).toBe(true);
  expect(await avatars.getByRole("radio").count()).toBeGreaterThanOrEqual(8);
  for (const name of ["Upload a picture", "Add a passkey", "Set a password", "Close"]) {
    expect(await dialog.getByRole("button", { name, exact: true }).count()).toBe(1);
  }
  expect(await dialog.getByRole("textbox", { name: "Passkey name", exact: true }).count()).toBe(1);
  expect(await dialog.getByRole("img", { name: "Your picture", exact: true }).count()).toBe(1);
  await dialog.getByRole("button", { name: "Set a password", exact: true }).click();
  await dialog.getByRole("textbox", { name: "New password", exact: true }).waitFor();
  expect(await dialog.getByRole("textbox", { name: "Current password", exact: true }).count()).toBe(
    0,
  );
  expect(await seriousViolations(page)).toEqual([]);
  expect(await noHorizontalScroll(page)).toBe(true);
  const frame = await dialog.boundingBox();
  expect(frame!.x).toBeGreaterThanOrEqual(0);
  expect(frame!.x + frame!.width).toBeLessThanOrEqual(360);
  expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);

  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await page.getByRole("button", { name: "Not now", exact: true }).click();
  await keep.waitFor({ state: "hidden" });
  const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/account");
  await page.reload();
  await loaded;
  await page.locator("#guest-notice").waitFor({ state: "attached" });
  expect(await keep.isVisible()).toBe(false);
});

test("a built-in avatar or an uploaded picture shows in the online list, for everyone", async () => {
  const alice = await enter("alice");
  const bob = await enter("bob");
  const dialog = await openAccount(alice.page);
  await dialog.getByRole("radio", { name: "Owl", exact: true }).check();
  const own = alice.page.locator("#users li.me img.avatar");
  await alice.page.locator('#users li.me img.avatar[src="/avatars/owl.svg"]').waitFor();
  await userButton(bob.page, alice.name).locator('img[src="/avatars/owl.svg"]').waitFor();

  const chooser = alice.page.waitForEvent("filechooser");
  await dialog.getByRole("button", { name: "Upload a picture", exact: true }).click();
  const png = await sharp({
    create: { width: 300, height: 200, channels: 3, background: "#3a7" },
  })
    .png()
    .toBuffer();
  await (await chooser).setFiles({ name: "me.png", mimeType: "image/png", buffer: png });
  await dialog.getByRole("status").filter({ hasText: "Picture changed." }).waitFor();
  const custom = await own.getAttribute("src");
  expect(custom).toMatch(/^\/avatars\/custom\/[^/]+\.webp$/);
  await userButton(bob.page, alice.name).locator(`img[src="${custom}"]`).waitFor();
  const picture = dialog.getByRole("img", { name: "Your picture", exact: true });
  expect(await picture.getAttribute("src")).toBe(custom);
  expect(await dialog.getByRole("radio", { checked: true }).count()).toBe(0);

  const text = alice.page.waitForEvent("filechooser");
  await dialog.getByRole("button", { name: "Upload a picture", exact: true }).click();
  await (await text).setFiles({ name: "a.png", mimeType: "image/png", buffer: Buffer.from("no") });
  await dialog.getByRole("alert").filter({ hasText: "not a picture" }).waitFor();
  expect(await own.getAttribute("src")).toBe(custom);
});

test("a password secures the guest; a weak one or a wrong current one is refused", async () => {
  const { page } = await enter("carol");
  const dialog = await openAccount(page);
  await dialog.getByRole("button", { name: "Set a password", exact: true }).click();
  const next = dialog.getByRole("textbox", { name: "New password", exact: true });
  expect(await next.getAttribute("autocomplete")).toBe("new-password");
  expect(await next.getAttribute("type")).toBe("password");
  await next.fill("short");
  await dialog.getByRole("button", { name: "Save password", exact: true }).click();
  await dialog.getByRole("alert").filter({ hasText: "too short or too common" }).waitFor();
  expect(await next.getAttribute("aria-invalid")).toBe("true");

  await next.fill(GOOD_PASSWORD);
  await dialog.getByRole("button", { name: "Save password", exact: true }).click();
  await dialog.getByRole("button", { name: "Change password", exact: true }).waitFor();
  await dialog.getByRole("status").filter({ hasText: "Password saved." }).waitFor();
  await page.locator("#guest-notice").waitFor({ state: "hidden" });

  await dialog.getByRole("button", { name: "Change password", exact: true }).click();
  const current = dialog.getByRole("textbox", { name: "Current password", exact: true });
  expect(await current.getAttribute("autocomplete")).toBe("current-password");
  await current.fill("not the password at all");
  await next.fill("another good passphrase 7");
  await dialog.getByRole("button", { name: "Save password", exact: true }).click();
  await dialog.getByRole("alert").filter({ hasText: "current password is not right" }).waitFor();
  expect(await current.getAttribute("aria-invalid")).toBe("true");
  expect(await seriousViolations(page)).toEqual([]);
});

test("a passkey is added and listed; Remove refuses the last credential, then removes", async () => {
  // WebAuthn needs a domain as the relying party: localhost, not 127.0.0.1.
  const url = `http://localhost:${server.port}`;
  const user = await enter("dave", {}, url);
  await addVirtualAuthenticator(user.page);
  const dialog = await openAccount(user.page);
  await dialog.getByRole("textbox", { name: "Passkey name", exact: true }).fill("Test key");
  await dialog.getByRole("button", { name: "Add a passkey", exact: true }).click();
  const passkeys = dialog.getByRole("list", { name: "Passkeys", exact: true });
  await passkeys.getByRole("listitem").filter({ hasText: "Test key" }).waitFor();
  await user.page.locator("#guest-notice").waitFor({ state: "hidden" });
  const remove = passkeys.getByRole("button", { name: "Remove", exact: true });
  expect(await remove.count()).toBe(1);
  expect(await remove.getAttribute("aria-describedby")).toBeTruthy();
  expect(await seriousViolations(user.page)).toEqual([]);

  await remove.click();
  await dialog.getByRole("alert").filter({ hasText: "only way to sign in" }).waitFor();

  await dialog.getByRole("button", { name: "Set a password", exact: true }).click();
  await dialog.getByRole("textbox", { name: "New password", exact: true }).fill(GOOD_PASSWORD);
  await dialog.getByRole("button", { name: "Save password", exact: true }).click();
  await dialog.getByRole("button", { name: "Change password", exact: true }).waitFor();
  await remove.click();
  await passkeys.waitFor({ state: "hidden" });
  await dialog.getByText("No passkeys yet.", { exact: true }).waitFor();
});

test("in Chinese on a plain-http LAN name: no passkey buttons, and a note says why", async () => {
  const { page } = await enter(
    "lan",
    { locale: "zh-CN", viewport: { width: 360, height: 640 } },
    `http://chat.lan:${server.port}`,
  );
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  await page.getByRole("button", { name: "保留我的昵称", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "账号", exact: true });
  await dialog.getByRole("button", { name: "设置密码", exact: true }).waitFor();
  await dialog.getByText(/通行密钥需要安全（https）地址或 localhost/).waitFor();
  expect(await dialog.getByRole("button", { name: "添加通行密钥", exact: true }).count()).toBe(0);
  expect(await dialog.getByRole("button", { name: "上传图片", exact: true }).count()).toBe(1);
  expect(await dialog.getByRole("radio", { name: "猫头鹰", exact: true }).count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await noHorizontalScroll(page)).toBe(true);
});
