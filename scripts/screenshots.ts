// Regenerates docs/screenshots/*.png: both pages, desktop and phone, light and dark, with
// rooms (badges in the Rooms list, a room conversation, the New room dialog).
// Run: npm run build && npx ts-node --transpile-only scripts/screenshots.ts
import path from "node:path";
import type { Page } from "playwright-core";
import { enterChat, launchBrowser, openLogin, sendMessage } from "../tests/support/browser";
import { callOk, joinChat, sendOk, sleep } from "../tests/support/clients";
import { startServer } from "../tests/support/server";

const OUT = path.resolve(__dirname, "../docs/screenshots");
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 360, height: 740 },
} as const;
const SCHEMES = ["light", "dark"] as const;

/** Every size and colour scheme of one page, named `<name>-<size>-<scheme>.png`. */
async function shoot(page: Page, name: string, before?: () => Promise<void>): Promise<void> {
  for (const scheme of SCHEMES) {
    for (const [size, viewport] of Object.entries(SIZES)) {
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

  const alice = await enterChat(browser, server.url, "alice", options);
  const page = alice.page;
  await sendMessage(page, "Count me in too! Give me five minutes.");
  await sendOk(carol.socket, { content: "Psst, it's Bob's birthday on Friday!", to: "alice" });

  // Rooms: a closed one with news for alice (one mentions her), an open one she is in.
  type Created = { room: { id: string } };
  const release = await callOk<Created>(bob.socket, "room:create", {
    name: "release 2.0",
    kind: "closed",
    topic: "Shipping on Thursday",
    members: ["alice", "carol"],
  });
  const design = await callOk<Created>(carol.socket, "room:create", {
    name: "design",
    kind: "open",
    topic: "Mockups, fonts and colours",
  });
  await callOk(carol.socket, "room:add", { room: design.room.id, name: "alice" });
  await callOk(bob.socket, "room:create", { name: "lunch club", kind: "open" });
  const inRelease = [
    [bob, "Release notes draft is in the wiki."],
    [carol, "Thanks! I'll review the migration part."],
    [bob, "@alice can you check the screenshots before Thursday?"],
  ] as const;
  for (const [who, content] of inRelease)
    await sendOk(who.socket, { content, room: release.room.id });
  await sendOk(carol.socket, { content: "New colour tokens are up", room: design.room.id });
  await page.getByRole("button", { name: /^release 2\.0/ }).waitFor();

  await shoot(page, "chat", async () => {
    bob.socket.emit("typing", {});
  });

  await page.setViewportSize(SIZES.desktop);
  await page.getByRole("button", { name: /^release 2\.0/ }).click();
  await page.locator(".msg.mention").waitFor();
  await shoot(page, "room", async () => {
    carol.socket.emit("typing", { room: release.room.id });
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
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.getByRole("textbox", { name: "Room name" }).fill("birthday");
  await dialog.getByRole("radio", { name: "Closed" }).check();
  await dialog.getByRole("checkbox", { name: "carol" }).check();
  await dialog.getByRole("textbox", { name: "Topic (optional)" }).fill("Cake and a card for Bob");
  await shoot(page, "new-room");
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
