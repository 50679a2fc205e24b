// Regenerates docs/screenshots/*.png: both pages, desktop and phone, light and dark.
// Run: npm run build && npx ts-node --transpile-only scripts/screenshots.ts
// (emoji need a colour emoji font: apt-get install fonts-noto-color-emoji; the Chinese
// shots a CJK font: apt-get install fonts-wqy-microhei)
import path from "node:path";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { enterChat, launchBrowser, openLogin, sendMessage } from "../tests/support/browser";
import type { Room } from "../common/events";
import { callOk, joinChat, sendOk, sleep } from "../tests/support/clients";
import { startServer } from "../tests/support/server";
import { uploadOk } from "../tests/support/uploads";
import { securePassword, shootAccounts } from "./screenshots-account";
import { shootApp } from "./screenshots-app";

const OUT = path.resolve(__dirname, "../docs/screenshots");
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;
const SCHEMES = ["light", "dark"] as const;

/** Every size (or those given) and colour scheme of one page, `<name>-<size>-<scheme>.png`. */
async function shoot(
  page: Page,
  name: string,
  before?: () => Promise<void>,
  sizes: Partial<typeof SIZES> = SIZES,
): Promise<void> {
  for (const scheme of SCHEMES) {
    for (const [size, viewport] of Object.entries(sizes)) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize(viewport);
      await before?.();
      await sleep(250);
      const file = path.join(OUT, `${name}-${size}-${scheme}.png`);
      // Phones at twice the CSS pixels, desktops at CSS size.
      await page.screenshot({ path: file, scale: size === "phone" ? "device" : "css" });
    }
  }
}

/** A small drawn picture (a cake, or a card), so the screenshots show a real image. */
function cakePicture(card = false): Promise<Buffer> {
  const svg = card
    ? `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="420"><rect width="600" height="420" fill="#ffe3ec"/><text x="300" y="230" font-size="64" text-anchor="middle" fill="#c2185b" font-family="sans-serif">Happy birthday!</text></svg>`
    : `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#b3e5fc"/><stop offset="1" stop-color="#fff8e1"/></linearGradient></defs><rect width="800" height="600" fill="url(#g)"/><rect x="200" y="300" width="400" height="180" rx="20" fill="#8d6e63"/><rect x="200" y="300" width="400" height="50" rx="20" fill="#f8bbd0"/><rect x="180" y="470" width="440" height="20" rx="10" fill="#eeeeee"/>${[0, 1, 2, 3, 4].map((i) => `<rect x="${270 + i * 60}" y="230" width="16" height="70" fill="#fff59d"/><ellipse cx="${278 + i * 60}" cy="218" rx="9" ry="16" fill="#ff9800"/>`).join("")}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

async function main(): Promise<void> {
  const server = await startServer();
  const bob = await joinChat(server.url, "bob", "owl");
  const carol = await joinChat(server.url, "carol", "cat");
  await joinChat(server.url, "dmitri", "bear");
  const yesterday = new Date();
  yesterday.setDate(yesterday.getDate() - 1);
  yesterday.setHours(17, 40, 0, 0);
  const old = [
    [bob, "Is the build green again?"],
    [carol, "Yes, fixed it an hour ago. The flaky test was a time zone thing"],
    [bob, "Classic. Thanks!"],
  ] as const;
  for (const [i, [who, content]] of old.entries()) {
    const ts = yesterday.getTime() + i * 90_000;
    await server.store.append({ from: who.user, conversation: "group", content, ts }, 0);
  }
  await sendOk(carol.socket, { content: "Lunch at 12:30? There is a new ramen place nearby." });
  await sendOk(bob.socket, { content: "I'm in." });
  await sendOk(bob.socket, { content: "Menu: https://example.com/ramen" });

  const browser = await launchBrowser();
  const options = { deviceScaleFactor: 2 };
  const login = await openLogin(browser, server.url, options);
  await login.page.getByRole("textbox", { name: "Nickname" }).fill("alice");
  await shoot(login.page, "login");

  // alice is on localhost (a passkey needs a domain) and keeps her nickname with a password.
  const local = server.url.replace("127.0.0.1", "localhost");
  const alice = await enterChat(browser, local, "alice", options);
  const page = alice.page;
  await securePassword(page);
  await sendMessage(page, "Count me in too! Give me five minutes.");
  // Rooms: a closed one carol made with alice, an open one bob added alice to.
  const closed = await callOk<{ room: Room }>(carol.socket, "room:create", {
    name: "Birthday surprise",
    kind: "closed",
    topic: "Shh, not a word to Bob",
    members: ["alice"],
  });
  const ask = await sendOk(carol.socket, {
    content: "@alice can you get the card?",
    room: closed.room.id,
  });
  const open = await callOk<{ room: Room }>(bob.socket, "room:create", {
    name: "Ramen club",
    kind: "open",
    topic: "Noodles, every Thursday",
  });
  await callOk(bob.socket, "room:add", { room: open.room.id, name: "alice" });
  await sendOk(bob.socket, { content: "Thursday again?", room: open.room.id });
  await sendOk(bob.socket, { content: "Same place, 12:30", room: open.room.id });
  await sendOk(carol.socket, { content: "Psst, it's Bob's birthday on Friday!", to: "alice" });
  await shoot(page, "chat", async () => {
    bob.socket.emit("typing", {});
  });

  await page.setViewportSize(SIZES.desktop);
  await page
    .getByRole("list", { name: "Online users" })
    .getByRole("button", { name: /^carol/ })
    .click();
  await sendMessage(page, "Oh nice! Cake from the bakery on the corner?");
  await sendOk(carol.socket, { content: "Perfect. I'll collect money after lunch.", to: "alice" });
  await shoot(page, "private");

  await page.setViewportSize(SIZES.desktop);
  await page
    .getByRole("list", { name: "Rooms" })
    .getByRole("button", { name: /^Birthday/ })
    .click();
  await sendMessage(page, "On it. Card and candles.");
  await shoot(page, "room");
  // On a phone the header keeps the room's name; its actions are in the Room actions menu.
  const roomMenu = page.getByRole("button", { name: "Room actions", exact: true });
  await shoot(
    page,
    "room-menu",
    async () => {
      if ((await roomMenu.getAttribute("aria-expanded")) !== "true") await roomMenu.click();
      await page.getByRole("button", { name: "Leave room", exact: true }).waitFor();
    },
    { phone: SIZES.phone },
  );
  await page.keyboard.press("Escape");

  // Replies, reactions, an edit and formatting, with one message's actions showing.
  const budget = await sendOk(carol.socket, {
    content: "Budget: *20 each*, `cash` please",
    room: closed.room.id,
    replyTo: ask.id,
  });
  await callOk(carol.socket, "message:edit", {
    id: budget.id,
    content: "Budget: *15 each*, `cash` please",
  });
  await callOk(carol.socket, "message:react", { id: ask.id, emoji: "👍" });
  await callOk(carol.socket, "message:react", { id: ask.id, emoji: "🎉" });
  await page.setViewportSize(SIZES.desktop);
  await shoot(page, "actions", async () => {
    await page.locator(".msg", { hasText: "15 each" }).hover();
  });
  // Files: a photo and a document carol sent, and a photo waiting in alice's composer.
  const photo = await uploadOk(server.url, carol.token, await cakePicture(), "cake.jpg");
  const list = await uploadOk(
    server.url,
    carol.token,
    "Candles\nCard\nCake\n",
    "shopping-list.txt",
  );
  await sendOk(carol.socket, {
    content: "Found the cake!",
    room: closed.room.id,
    attachments: [photo.id, list.id],
  });
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach", exact: true }).click();
  await (
    await chooser
  ).setFiles({
    name: "card.jpg",
    mimeType: "image/jpeg",
    buffer: await cakePicture(true),
  });
  await page.locator(".pending-file .pending-thumb").waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>("img.thumb")].every((i) => i.complete),
  );
  await shoot(page, "files");
  await page.getByRole("button", { name: "Remove card.jpg" }).click();

  await page.setViewportSize(SIZES.desktop);
  await page.getByRole("button", { name: "New room" }).click();
  await page
    .getByRole("dialog", { name: "New room" })
    .getByRole("textbox", { name: "Room name" })
    .fill("Board games");
  await shoot(page, "new-room");
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Group", exact: true }).first().click();
  const room = (await server.rooms.get(closed.room.id))!;
  await shootApp(browser, page, OUT, { message: ask, room });
  await shootAccounts(browser, page, local, shoot, SIZES.phone);
  await browser.close();
  await server.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
