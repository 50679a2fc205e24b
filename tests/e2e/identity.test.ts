/// <reference lib="dom" />
// Several devices, invite-only login and admin moderation in real Chromium.
import type { Browser, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  openLogin,
  seriousViolations,
  submitLogin,
  userButton,
  waitConnected,
} from "../support/browser";
import { uniqueName } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

const ADMIN_CODE = "e2e-admin-code-123";
let server: TestServer;
let inviteOnly: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, inviteOnly, browser] = await Promise.all([
    startServer({ ADMIN_CODE }),
    startServer({ JOIN_CODE: "friends-only" }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([server?.close(), inviteOnly?.close()]);
});

const me = (page: Page) => page.evaluate(() => JSON.parse(document.body.dataset.me ?? "null"));

test("links a second browser through the Add a device dialog's link", async () => {
  const laptop = await enterChat(browser, server.url, uniqueName("laptop"));
  await laptop.page.getByRole("button", { name: "Add a device" }).click();
  const dialog = laptop.page.getByRole("dialog", { name: "Add a device" });
  await dialog.waitFor();
  const link = dialog.getByRole("textbox", { name: "Link for your other device" });
  await link.waitFor();
  const url = await link.inputValue();
  expect(url).toMatch(new RegExp(`^${server.url}/link/[A-Za-z0-9_-]+$`));
  const qr = dialog.getByRole("img", { name: "QR code" });
  await qr.waitFor();
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(
    true,
  );
  expect(await dialog.getByRole("button", { name: "Copy link" }).count()).toBe(1);
  expect(await seriousViolations(laptop.page)).toEqual([]);
  await laptop.page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });

  const phone = await openLogin(browser, url, { viewport: { width: 360, height: 640 } });
  expect(await seriousViolations(phone.page)).toEqual([]);
  expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    360,
  );
  await phone.page.getByRole("button", { name: `Continue as ${laptop.name}` }).click();
  await phone.page.waitForURL("**/chat");
  await waitConnected(phone.page);
  expect(await me(phone.page)).toEqual(await me(laptop.page));
  // The laptop stays logged in and connected.
  await waitConnected(laptop.page);
  expect(laptop.dialogs).toEqual([]);
  await Promise.all([laptop.context.close(), phone.context.close()]);
});

test("the Add a device dialog fits a 360 px phone and speaks Chinese", async () => {
  const user = await enterChat(browser, server.url, uniqueName("phone"), {
    viewport: { width: 360, height: 640 },
    locale: "zh-CN",
  });
  await user.page.getByRole("button", { name: "在线用户和聊天室" }).click();
  await user.page.getByRole("button", { name: "添加设备" }).click();
  const dialog = user.page.getByRole("dialog", { name: "添加设备" });
  await dialog.getByRole("img", { name: "二维码" }).waitFor();
  const box = await dialog.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(360);
  expect(await seriousViolations(user.page)).toEqual([]);
  await user.context.close();
});

test("logs in to an invite-only server through /join/<code>; / asks for the Invite code", async () => {
  const guest = await openLogin(browser, `${inviteOnly.url}/join/friends-only`);
  expect(await guest.page.getByRole("textbox", { name: "Invite code" }).count()).toBe(0);
  await submitLogin(guest.page, uniqueName("guest"));
  await guest.page.waitForURL("**/chat");
  await waitConnected(guest.page);

  const other = await openLogin(browser, inviteOnly.url);
  const code = other.page.getByRole("textbox", { name: "Invite code" });
  expect(await code.count()).toBe(1);
  await code.fill("wrong");
  await submitLogin(other.page, uniqueName("other"));
  await other.page.getByRole("alert").filter({ hasText: "invite code" }).waitFor();
  expect(await seriousViolations(other.page)).toEqual([]);
  await other.page.getByRole("textbox", { name: "Invite code" }).fill("friends-only");
  await other.page.getByRole("button", { name: "Enter" }).click();
  await other.page.waitForURL("**/chat");
  await Promise.all([guest.context.close(), other.context.close()]);
});

test("an admin kicks a user from the Online users list after an in-page confirm", async () => {
  const boss = await enterChat(browser, server.url, uniqueName("boss"));
  await boss.page.goto(`${server.url}/admin/${ADMIN_CODE}`);
  await boss.page.getByRole("button", { name: "Become admin" }).click();
  await boss.page.waitForURL("**/chat");
  await waitConnected(boss.page);
  const troll = await enterChat(browser, server.url, uniqueName("troll"));
  await userButton(boss.page, troll.name).waitFor();
  const kick = boss.page.getByRole("button", { name: `Kick ${troll.name}` });
  await kick.click();
  const confirm = boss.page.getByRole("dialog", { name: "Kick" });
  await confirm.getByText(`Kick ${troll.name}?`).waitFor();
  expect(await seriousViolations(boss.page)).toEqual([]);
  await confirm.getByRole("button", { name: "Kick", exact: true }).click();
  await confirm.waitFor({ state: "hidden" });
  // The kicked browser is sent back to the login page.
  await troll.page.waitForURL((u) => u.pathname === "/", { timeout: 5000 });
  await userButton(boss.page, troll.name).waitFor({ state: "detached" });
  expect(boss.dialogs).toEqual([]);
  // Somebody who is not an admin sees no Kick or Ban.
  const plain = await enterChat(browser, server.url, uniqueName("plain"));
  await userButton(plain.page, boss.name).waitFor();
  expect(await plain.page.getByRole("button", { name: /^(Kick|Ban)/ }).count()).toBe(0);
  await Promise.all([boss.context.close(), troll.context.close(), plain.context.close()]);
});
