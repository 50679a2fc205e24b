/// <reference lib="dom" />
// A group chat is often served over plain http on a LAN name: not a secure context, so
// APIs such as crypto.randomUUID are missing. Chatting must work there all the same.
import type { Browser } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  waitForCount,
} from "../support/browser";
import { startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
beforeAll(async () => {
  // chat.lan resolves to this machine; http://chat.lan is not a secure context.
  browser = await launchBrowser(["--host-resolver-rules=MAP chat.lan 127.0.0.1"]);
  server = await startServer();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test("login and messaging work over plain http on a LAN host name", async () => {
  const url = `http://chat.lan:${server.port}`;
  const [ann, ben] = [await enterChat(browser, url, "ann"), await enterChat(browser, url, "ben")];
  expect(await ann.page.evaluate(() => window.isSecureContext)).toBe(false);
  await sendMessage(ann.page, "hello from the LAN");
  for (const u of [ann, ben]) await waitForCount(messageText(u.page, "hello from the LAN"), 1);
  expect(ann.dialogs).toEqual([]);
  await Promise.all([ann.context.close(), ben.context.close()]);
});
