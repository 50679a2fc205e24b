/// <reference lib="dom" />
// Text that cannot lie about itself: bidirectional controls are shown, not obeyed, and
// right-to-left names never reorder the page around them.
import type { Browser, Locator, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  seriousViolations,
  waitForCount,
  waitForText,
  type ChatUser,
} from "../support/browser";
import { call, callOk, joinChat, sendOk, sleep } from "../support/clients";
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

/** Where `locator` is drawn: its left and right edges, in CSS pixels. */
async function edges(locator: Locator): Promise<{ left: number; right: number }> {
  const box = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right };
  });
  expect(box.right).toBeGreaterThan(box.left);
  return box;
}

/** `first` is drawn wholly before (left of, in this left-to-right page) `then`. */
async function expectBefore(first: Locator, then: Locator): Promise<void> {
  const [a, b] = [await edges(first), await edges(then)];
  expect(a.right).toBeLessThanOrEqual(b.left + 0.5);
}

/** The visible text of each child of `el` (text nodes and elements) with its left edge. */
function childRuns(page: Page, selector: string) {
  return page.locator(selector).evaluate((el) =>
    [...el.childNodes]
      .filter((n) => (n.textContent ?? "").trim() !== "")
      .map((n) => {
        const range = document.createRange();
        range.selectNodeContents(n);
        return {
          text: (n.textContent ?? "").trim(),
          tag: n.nodeType === Node.ELEMENT_NODE ? (n as Element).tagName.toLowerCase() : "#text",
          left: range.getBoundingClientRect().left,
        };
      }),
  );
}

test("a reply snippet, a reply quote and a search result show U+202E marked; a topic refuses it", async () => {
  await reader.page.getByRole("button", { name: "Group", exact: true }).click();
  const original = reader.page
    .getByRole("log")
    .locator(".msg", { has: reader.page.locator(".text", { hasText: "invoice" }) })
    .last();
  await original.hover();
  await original.getByRole("button", { name: "Reply", exact: true }).click();
  const snippet = reader.page.locator("#reply-snippet");
  expect(await snippet.locator(".bidi-control").textContent()).toBe("[U+202E]");
  expect(await snippet.textContent()).toContain("gnp[U+202E]exe.png please");
  await sendMessage(reader.page, "answering that");
  const quote = messageText(reader.page, "answering that").locator("..").locator(".reply-quote");
  await quote.waitFor();
  expect(await quote.locator(".bidi-control").textContent()).toBe("[U+202E]");
  expect(await quote.evaluate((el) => el.textContent ?? "")).not.toContain("\u202E");

  const search = reader.page.getByRole("searchbox", { name: "Search messages" });
  await search.fill("invoice");
  await search.press("Enter");
  const result = reader.page
    .getByRole("list", { name: "Search results" })
    .locator(".result-text", { hasText: "invoice" })
    .first();
  await result.waitFor();
  expect(await result.locator(".bidi-control").textContent()).toBe("[U+202E]");
  expect(await result.textContent()).toBe("invoice gnp[U+202E]exe.png please");
  await reader.page.getByRole("button", { name: "Close search" }).click();

  const owner = await joinChat(server.url, "topic setter", "owl");
  // A topic cannot carry the control at all (the server refuses it); one in Hebrew, ending in
  // a digit, stays its own isolated run.
  const refused = await call(owner.socket, "room:create", {
    name: "Topics",
    kind: "closed",
    topic: "see gnp\u202Eexe.png now",
    members: ["reader"],
  });
  expect(refused).toMatchObject({ ok: false, error: { code: "invalid" } });
  await callOk(owner.socket, "room:create", {
    name: "Topics",
    kind: "closed",
    topic: "ראו קובץ 2",
    members: ["reader"],
  });
  await reader.page
    .getByRole("list", { name: "Rooms" })
    .getByRole("button", { name: "Topics" })
    .click();
  const topic = reader.page.locator("#conv-sub .room-topic");
  await waitForCount(topic, 1);
  expect(await topic.textContent()).toBe("ראו קובץ 2");
  // The topic is its own isolated run, apart from the facts about the room.
  expect(await topic.evaluate((el) => el.tagName)).toBe("BDI");
  await expectBefore(topic, reader.page.locator("#conv-sub .room-facts"));
  owner.socket.close();
});

test("two right-to-left nicknames typing at once: each isolated, in the order they started", async () => {
  await reader.page.getByRole("button", { name: "Group", exact: true }).click();
  const [first, second] = [
    await joinChat(server.url, "שרה 1", "owl"),
    await joinChat(server.url, "دانة 2", "cat"),
  ];
  first.socket.emit("typing", {});
  await waitForText(reader.page.locator("#typing"), "is typing");
  second.socket.emit("typing", {});
  await waitForText(reader.page.locator("#typing"), "are typing");
  const names = reader.page.locator("#typing bdi");
  expect(await names.allTextContents()).toEqual(["שרה 1", "دانة 2"]);
  expect(
    await names.evaluateAll((els) => els.map((el) => getComputedStyle(el).unicodeBidi)),
  ).toEqual(["isolate", "isolate"]);
  const runs = await childRuns(reader.page, "#typing");
  expect(runs.map((r) => [r.tag, r.text])).toEqual([
    ["bdi", "שרה 1"],
    ["#text", "and"],
    ["bdi", "دانة 2"],
    ["#text", "are typing…"],
  ]);
  // Drawn left to right in the order of the sentence.
  const lefts = runs.map((r) => r.left);
  expect(lefts).toEqual([...lefts].sort((a, b) => a - b));
  first.socket.close();
  second.socket.close();
});

test("right-to-left names ending in digits never pull the Latin labels after them out of place", async () => {
  const host = await joinChat(server.url, "דנה 5", "owl");
  await callOk(host.socket, "room:create", {
    name: "חדר 7",
    kind: "closed",
    topic: "נושא 9",
    members: ["reader"],
  });
  await callOk(host.socket, "room:create", { name: "חדר 8", kind: "open" });
  const rooms = reader.page.getByRole("list", { name: "Rooms" });
  const row = rooms.getByRole("button", { name: /^חדר 7/ });
  await row.waitFor();
  await sendOk(host.socket, { content: "12 apples", room: (await roomId(row)) ?? "" });
  // The unread count "1" stays after the name that ends in "7".
  const badge = row.locator(".unread-badge", { hasText: "1" });
  await badge.waitFor();
  await expectBefore(row.locator(".room-name"), badge);

  await row.click();
  const message = reader.page.getByRole("log").locator(".msg", { hasText: "12 apples" });
  await message.waitFor();
  // "דנה 5" then the time "12:34": the time is not drawn before the name.
  await expectBefore(message.locator(".meta .name"), message.locator(".meta time"));
  await expectBefore(
    reader.page.locator("#conv-sub .room-topic"),
    reader.page.locator("#conv-sub .room-facts"),
  );

  await reader.page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = reader.page.getByRole("dialog", { name: "Browse rooms" });
  const entry = browse.locator(".browse-room", { hasText: "חדר 8" });
  await entry.waitFor();
  // "חדר 8" then "1 member".
  await expectBefore(entry.locator("strong"), entry.locator(".hint"));
  await browse.getByRole("button", { name: "Close" }).click();
  await sleep(50);
  host.socket.close();
});

/** The id of a room from its row in the Rooms list. */
async function roomId(row: Locator): Promise<string | undefined> {
  const key = await row.locator("xpath=..").getAttribute("data-key");
  return key?.slice(2);
}
