/// <reference lib="dom" />
// The installable app in Chromium: a valid manifest with real icons, a service worker that
// controls /chat, a reload with the network down that still shows the chat (offline banner,
// outbox kept), per-conversation notification levels, and notification links.
import zlib from "node:zlib";
import type { Browser } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  submitLogin,
  waitConnected,
  waitForCount,
  type ChatUser,
} from "../support/browser";
import { eventually, historyOf, joinChat, uniqueName } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let browser: Browser;
let server: TestServer;
/** One user for the tests that leave the network alone (a login costs seconds). */
let ann: ChatUser;
beforeAll(async () => {
  [browser, server] = await Promise.all([launchBrowser(), startServer()]);
  ann = await enterChat(browser, server.url, uniqueName("ann"));
});
afterAll(async () => {
  await ann?.context.close();
  await browser?.close();
  await server?.close();
});

/** Width and height from a PNG's IHDR chunk (and a check that it is one). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  expect(png.subarray(12, 16).toString()).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test("the manifest is valid, linked from the page, and its icons are PNGs of their sizes", async () => {
  const { page, context } = ann;
  const res = await page.request.get(`${server.url}/manifest.webmanifest`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/manifest\+json/);
  const manifest = (await res.json()) as Record<string, unknown> & {
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({
    name: "Group chat",
    short_name: expect.any(String),
    start_url: "/chat",
    display: "standalone",
    theme_color: expect.stringMatching(/^#/),
    background_color: expect.stringMatching(/^#/),
  });
  for (const icon of manifest.icons) {
    const png = Buffer.from(await (await page.request.get(server.url + icon.src)).body());
    const { width, height } = pngSize(png);
    expect(`${width}x${height}`).toBe(icon.sizes);
    expect(zlib.crc32(png.subarray(12, 29))).toBe(png.readUInt32BE(29));
  }
  const sizes = (purpose: string) =>
    manifest.icons.filter((i) => (i.purpose ?? "any") === purpose).map((i) => i.sizes);
  expect(sizes("any")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(sizes("maskable").length).toBeGreaterThan(0);
  // Chromium's own reading of the manifest the page links: no errors.
  const cdp = await context.newCDPSession(page);
  const parsed = (await cdp.send("Page.getAppManifest")) as {
    url: string;
    errors: { message: string }[];
  };
  expect(parsed.url).toBe(`${server.url}/manifest.webmanifest`);
  expect(parsed.errors).toEqual([]);
  await cdp.detach();
});

test("the service worker controls /chat; offline, a reload shows the cached chat with the banner and the outbox", async () => {
  const bot = await joinChat(server.url, uniqueName("bot"));
  const name = uniqueName("ann");
  const { page, context } = await enterChat(browser, server.url, name);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await waitConnected(page);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(
    `${server.url}/sw.js`,
  );
  await sendMessage(page, "said online");
  await waitForCount(page.locator(".msg:not(.pending)", { hasText: "said online" }), 1);

  await context.setOffline(true);
  await waitConnected(page, "offline");
  await sendMessage(page, "typed while offline");
  await waitForCount(page.locator(".msg.pending", { hasText: "typed while offline" }), 1);
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await waitConnected(page, "offline");
  await page.getByRole("alert").filter({ hasText: /./ }).first().waitFor();
  expect(await page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
  await waitForCount(page.locator(".msg.pending", { hasText: "typed while offline" }), 1);

  await context.setOffline(false);
  await waitConnected(page);
  await waitForCount(messageText(page, "typed while offline"), 1);
  const group = await historyOf(bot.socket);
  expect(group.filter((m) => m.content === "typed while offline")).toHaveLength(1);
  bot.socket.disconnect();
  await context.close();
});

test("the first visit works offline: log in, no reload, network off, reload", async () => {
  const name = uniqueName("first");
  const { page, context } = await enterChat(browser, server.url, name);
  // The worker registered by this very page takes control of it; nothing reloaded it online.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await waitConnected(page, "offline");
  const reloaded = await page.reload();
  expect(reloaded?.status()).toBe(200);
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await waitConnected(page, "offline");
  await page.getByRole("alert").filter({ hasText: /./ }).first().waitFor();
  expect(await page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
  expect(await page.evaluate(() => JSON.parse(document.body.dataset.me ?? "null")?.name)).toBe(
    name,
  );
  await context.setOffline(false);
  await waitConnected(page);
  await context.close();
});

test("after logging out and in again, the cached page is the new session's", async () => {
  const first = uniqueName("again");
  const { page, context } = await enterChat(browser, server.url, first);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.getByRole("button", { name: "Log out", exact: true }).click();
  await page.waitForURL(`${server.url}/`);
  const second = uniqueName("again");
  await submitLogin(page, second);
  await page.waitForURL("**/chat");
  await waitConnected(page);
  await context.setOffline(true);
  await waitConnected(page, "offline");
  await page.reload();
  await waitConnected(page, "offline");
  expect(await page.evaluate(() => JSON.parse(document.body.dataset.me ?? "null")?.name)).toBe(
    second,
  );
  await context.setOffline(false);
  await context.close();
});

test("each conversation's header menu sets its level; the choice survives a reload", async () => {
  const { page } = ann;
  const menuButton = page.getByRole("button", { name: "Notifications", exact: true });
  await menuButton.click();
  const menu = page.getByRole("menu", { name: "Notifications" });
  const item = (name: string) => menu.getByRole("menuitemradio", { name });
  expect(await item("Mentions").getAttribute("aria-checked")).toBe("true");
  expect(await item("All").getAttribute("aria-checked")).toBe("false");
  await item("Nothing").click();
  await menu.waitFor({ state: "hidden" });
  await page.reload();
  await waitConnected(page);
  await page.waitForFunction(() => document.title.length > 0);
  await menuButton.click();
  await page.waitForFunction(
    () => document.querySelector('[data-level="none"]')?.getAttribute("aria-checked") === "true",
  );
  await page.keyboard.press("Escape");
  await menu.waitFor({ state: "hidden" });
});

test("a notification's URL opens its conversation", async () => {
  const bob = await joinChat(server.url, uniqueName("bob"));
  const { page } = ann;
  await page.goto(`${server.url}/chat#with:${encodeURIComponent(bob.user.name)}`);
  await waitConnected(page);
  await page.getByRole("heading", { name: bob.user.name }).waitFor();
  expect(new URL(page.url()).hash).toBe("");
  bob.socket.disconnect();
});

test("a push reaching the service worker shows its notification, tagged per conversation", async () => {
  const { page, context } = ann;
  await context.grantPermissions(["notifications"], { origin: server.url });
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const cdp = await context.newCDPSession(page);
  const registrations = new Promise<{ registrationId: string; scopeURL: string }[]>((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => resolve(e.registrations)),
  );
  await cdp.send("ServiceWorker.enable");
  const [registration] = await registrations;
  const payload = { title: "Bob", body: "hello from a push", url: "/chat#with:Bob", tag: "p:x" };
  await cdp.send("ServiceWorker.deliverPushMessage", {
    origin: server.url,
    registrationId: registration.registrationId,
    data: JSON.stringify(payload),
  });
  const shown = () =>
    page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        data: n.data as unknown,
      }));
    });
  await eventually(async () => (await shown()).length > 0);
  expect(await shown()).toEqual([
    { title: "Bob", body: "hello from a push", tag: "p:x", data: { url: "/chat#with:Bob" } },
  ]);
  await cdp.detach();
});
