/// <reference lib="dom" />
// Text that cannot lie about itself: bidirectional controls are shown, not obeyed, and
// right-to-left names never reorder the page around them.
import type { Browser } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  seriousViolations,
  waitForCount,
  type ChatUser,
} from "../support/browser";
import { callOk, joinChat } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let reader: ChatUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  reader = await enterChat(browser, server.url, "reader");
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test("U+202E is shown as a marked control, and what follows keeps its typed order", async () => {
  await sendMessage(reader.page, "invoice gnp\u202Eexe.png please");
  const text = messageText(reader.page, "invoice").last();
  await text.waitFor();
  expect(await text.locator(".bidi-control").textContent()).toBe("[U+202E]");
  const shown = await text.evaluate((el) => el.textContent ?? "");
  expect(shown).toContain("gnp[U+202E]exe.png please");
  expect(shown).not.toContain("\u202E");
  expect(await text.getAttribute("dir")).toBe("auto");
});

test("Hebrew and Arabic nicknames and room names are isolated from the text around them", async () => {
  const hebrew = await joinChat(server.url, "שלום", "owl");
  await joinChat(server.url, "مرحبا", "cat");
  await callOk(hebrew.socket, "room:create", {
    name: "חדר ABC 123",
    kind: "closed",
    members: ["reader"],
  });
  const rooms = reader.page.getByRole("list", { name: "Rooms" });
  await rooms.getByRole("button", { name: /חדר/ }).waitFor();
  const users = reader.page.getByRole("list", { name: "Online users" });
  await waitForCount(users.getByRole("button"), 2);
  const isolation = await reader.page.evaluate(() =>
    [...document.querySelectorAll(".user-name, .room-name")].map(
      (el) => getComputedStyle(el).unicodeBidi,
    ),
  );
  expect(isolation.length).toBeGreaterThanOrEqual(5);
  expect(new Set(isolation)).toEqual(new Set(["isolate"]));
  // The badge and the rest of the row stay where they are: the name is one isolated run.
  await rooms.getByRole("button", { name: /חדר/ }).click();
  expect(
    await reader.page.locator("#conv-name").evaluate((el) => getComputedStyle(el).unicodeBidi),
  ).toBe("isolate");
  expect(await seriousViolations(reader.page)).toEqual([]);
  hebrew.socket.close();
});
