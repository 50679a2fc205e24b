/// <reference lib="dom" />
// Profile pictures in real Chromium: when one user uploads a picture, another user's page
// shows it at once wherever that user appears (online list, earlier messages, private header),
// and after a reload too, although history keeps the picture each message was sent with.
import type { Browser, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  sendMessage,
  userButton,
  type ChatUser,
} from "../support/browser";
import { uniqueName } from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { jpegWithGps } from "../support/uploads";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let alice: ChatUser;
let bob: ChatUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ RATE_LIMIT_MESSAGES: "1000" }),
    launchBrowser(),
  ]);
  alice = await enterChat(browser, server.url, uniqueName("alice"), { avatar: "fox" });
  bob = await enterChat(browser, server.url, uniqueName("bob"), { avatar: "owl" });
});

afterAll(async () => {
  expect([...alice.dialogs, ...bob.dialogs]).toEqual([]);
  await browser?.close();
  await server?.close();
});

/** The avatar of the message row holding `text`. */
const messageAvatar = (page: Page, text: string) =>
  page.getByRole("log").locator(".msg", { hasText: text }).locator("img.avatar");

/** Uploads through the Account dialog's `Upload a picture`; the new picture's URL. */
async function uploadPicture({ page }: ChatUser, picture: Buffer): Promise<string> {
  const toggle = page.getByRole("button", { name: "Online users and rooms", exact: true });
  if (await toggle.isVisible()) await toggle.click();
  await page.getByRole("button", { name: "Account", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Account", exact: true });
  const chooser = page.waitForEvent("filechooser");
  await dialog.getByRole("button", { name: "Upload a picture", exact: true }).click();
  const uploaded = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/account/avatar");
  await (await chooser).setFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: picture });
  const { user } = (await (await uploaded).json()) as { user: { avatar: string } };
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  return `/avatars/custom/${user.avatar.slice("custom:".length)}.webp`;
}

test("bob sees alice's new picture in the online list and on her earlier message, live", async () => {
  await sendMessage(alice.page, "before my new picture");
  const earlier = messageAvatar(bob.page, "before my new picture");
  await earlier.waitFor();
  expect(await earlier.getAttribute("src")).toBe("/avatars/fox.svg");

  const url = await uploadPicture(alice, await jpegWithGps(640, 480));
  expect(url).toMatch(/^\/avatars\/custom\/[\w-]+\.webp$/);
  await userButton(bob.page, alice.name).locator(`img[src="${url}"]`).waitFor();
  await bob.page.getByRole("log").locator(`.msg img.avatar[src="${url}"]`).waitFor();
  expect(await earlier.getAttribute("src")).toBe(url);
  // Alice's own page: her row and her message too.
  await alice.page.locator(`#users li.me img.avatar[src="${url}"]`).waitFor();
  expect(await messageAvatar(alice.page, "before my new picture").getAttribute("src")).toBe(url);
  // The picture is really drawn (it loads as an image).
  const loaded = await earlier.evaluate((img: HTMLImageElement) =>
    img.complete ? img.naturalWidth : new Promise((r) => (img.onload = () => r(img.naturalWidth))),
  );
  expect(loaded).toBe(256);

  // A private conversation's header shows it.
  await userButton(bob.page, alice.name).click();
  await bob.page.locator(`#conv-avatar[src="${url}"]`).waitFor();
  await bob.page.getByRole("button", { name: "Group", exact: true }).click();

  // After a reload, history still holds the fox, and the page shows the picture anyway.
  await bob.page.reload();
  await messageAvatar(bob.page, "before my new picture").waitFor();
  await userButton(bob.page, alice.name).locator(`img[src="${url}"]`).waitFor();
  expect(await messageAvatar(bob.page, "before my new picture").getAttribute("src")).toBe(url);
});
