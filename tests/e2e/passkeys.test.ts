/// <reference lib="dom" />
// Passkeys in real Chromium with a virtual authenticator (CDP WebAuthn): add one from the
// Account dialog, log out everywhere, sign in again with it from the login page.
import crypto from "node:crypto";
import type { Browser, Page } from "playwright-core";
import {
  addVirtualAuthenticator,
  enterChat,
  launchBrowser,
  openLogin,
  seriousViolations,
} from "../support/browser";
import { login, uniqueName } from "../support/clients";
import { from } from "../support/identity";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  // chat.lan resolves to this machine; http://chat.lan is not a secure context (no WebAuthn).
  [server, browser] = await Promise.all([
    startServer(),
    launchBrowser(["--host-resolver-rules=MAP chat.lan 127.0.0.1"]),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** localhost is a secure context, and a valid rp id. */
const secureUrl = () => `http://localhost:${server.port}`;
const lanUrl = () => `http://chat.lan:${server.port}`;

const meOf = (page: Page) =>
  page.evaluate(() => (JSON.parse(document.body.dataset.me ?? "null") as { id: string }).id);

test("a guest adds a passkey, logs out everywhere, and signs in with it as the same user", async () => {
  const user = await enterChat(browser, secureUrl(), "Keyholder");
  const { page } = user;
  const authenticator = await addVirtualAuthenticator(page);
  const id = await meOf(page);

  await page.getByRole("button", { name: "Account", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Account" });
  await dialog.getByRole("button", { name: "Add a passkey" }).click();
  await dialog.getByRole("button", { name: "Remove" }).waitFor();
  const [credential] = await authenticator.credentials();
  expect(credential).toMatchObject({ isResidentCredential: true, rpId: "localhost" });
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Add a device" }).click();
  await page.getByRole("button", { name: "Log out on all devices" }).click();
  await page.waitForURL(`${secureUrl()}/`);

  const signIn = page.getByRole("button", { name: "Sign in with a passkey" });
  await signIn.waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await signIn.click();
  await page.waitForURL("**/chat");
  expect(await meOf(page)).toBe(id);
  expect(user.dialogs).toEqual([]);
  await user.context.close();
});

test("a passkey the server does not know is refused in an alert", async () => {
  const { page, context } = await openLogin(browser, secureUrl());
  const authenticator = await addVirtualAuthenticator(page);
  const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  await authenticator.add({
    credentialId: crypto.randomBytes(16).toString("base64"),
    isResidentCredential: true,
    rpId: "localhost",
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    userHandle: Buffer.from("nobody").toString("base64"),
    signCount: 0,
  });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  expect(await alert.textContent()).toBe(
    "That passkey was not accepted. Try again, or use another way to sign in.",
  );
  expect(page.url()).toBe(`${secureUrl()}/`);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("without WebAuthn (plain http on a LAN name) the button is replaced by a note", async () => {
  const { page, context } = await openLogin(browser, lanUrl(), { locale: "zh-CN" });
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  const note = page.getByText("通行密钥需要安全（https）地址或 localhost");
  await note.waitFor();
  expect(await page.getByRole("button", { name: "使用通行密钥登录" }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("without WebAuthn, a secured nickname's Password field says why there is no passkey", async () => {
  const guest = await login(server.url, uniqueName("pw"));
  const set = await from(server.url)
    .post("/api/account/password", guest.token)
    .send({ password: "correct horse battery staple" });
  expect(set.status).toBe(204);
  const { page, context } = await openLogin(browser, lanUrl());
  await page.getByRole("textbox", { name: "Nickname" }).fill(guest.user.name);
  await page.getByRole("button", { name: "Enter" }).click();
  const password = page.getByRole("textbox", { name: "Password" });
  await password.waitFor();
  const field = page.locator(".field", { has: password });
  await field.getByText("Passkeys need a secure (https) address or localhost").waitFor();
  expect(await page.getByRole("button", { name: "Sign in with a passkey" }).count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});
