/// <reference lib="dom" />
// The chat page in other shapes: Chinese, a 360 px phone (with the Rooms list and the room
// dialogs), dark mode, a long history that loads as the reader scrolls up, a 2,000-character
// word on 360 and 390 px screens, and the phone header of a room and of a private conversation.
// Screenshots of the last three go to .tmp/screenshots (not kept in git).
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { Room } from "../../common/events";
import {
  enterChat,
  launchBrowser,
  messageText,
  seriousViolations,
  userButton,
  waitForCount,
  waitForText,
} from "../support/browser";
import { callOk, joinChat, sendOk, type Client } from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { uploadOk } from "../support/uploads";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let bot: Client;
const HISTORY = 120;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  bot = await joinChat(server.url, "bot", "robot");
  const start = Date.now() - HISTORY * 60_000;
  for (let i = 1; i <= HISTORY; i++) {
    const content = `old message ${i}`;
    await server.store.append({ from: bot.user, conversation: "group", content, ts: start + i }, 0);
  }
});

// Contexts close after each test, passed or failed, so one failure does not skew the counts.
const contexts: BrowserContext[] = [];
afterEach(() => Promise.all(contexts.splice(0).map((c) => c.close())));
const enter = async (...args: Parameters<typeof enterChat>) => {
  const user = await enterChat(...args);
  contexts.push(user.context);
  return user;
};

afterAll(async () => {
  bot?.socket.disconnect();
  await browser?.close();
  await server?.close();
});

/** Elements of `within` (itself included) drawn past the viewport's right or left edge. */
const overflowing = (within: Locator) =>
  within.evaluate(async (root) => {
    // Measured where it comes to rest, not while it slides in.
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {})));
    const width = document.documentElement.clientWidth;
    return [root, ...root.querySelectorAll("*")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) return false;
        return r.left < -0.5 || r.right > width + 0.5 || el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""}`);
  });

const scrollLog = (page: Page, to: "top" | "bottom") =>
  page.getByRole("log").evaluate((el, where) => {
    el.scrollTop = where === "top" ? 0 : el.scrollHeight;
  }, to);

test("loads older history when scrolled to the top; a pill announces new messages", async () => {
  const { page } = await enter(browser, server.url, "reader");
  await waitForCount(messageText(page, /^old message \d+$/), 50);
  expect(await messageText(page, "old message 120").isVisible()).toBe(true);
  await scrollLog(page, "top");
  await waitForCount(messageText(page, /^old message \d+$/), 100);
  await scrollLog(page, "top");
  await waitForCount(messageText(page, /^old message \d+$/), HISTORY);
  await waitForText(page.getByRole("log"), "This is the beginning of the conversation.");
  expect(await page.locator("#pill").isVisible()).toBe(false);

  // Reading old messages: a new one does not yank the view down, a pill offers to jump.
  await sendOk(bot.socket, { content: "fresh news" });
  await page.getByRole("button", { name: "New messages" }).waitFor();
  const below = await page
    .getByRole("log")
    .evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  expect(below).toBeGreaterThan(1000);
  await page.getByRole("button", { name: "New messages" }).click();
  await page.getByRole("button", { name: "New messages" }).waitFor({ state: "hidden" });
  expect(await messageText(page, "fresh news").isVisible()).toBe(true);

  // At the bottom, new messages simply appear.
  await sendOk(bot.socket, { content: "more news" });
  await waitForCount(messageText(page, "more news"), 1);
  await page.waitForFunction(() => {
    const log = document.querySelector('[role="log"]')!;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 5;
  });
  expect(await page.locator("#pill").isVisible()).toBe(false);
});

test("is in Simplified Chinese when the browser prefers zh", async () => {
  const { page } = await enter(browser, server.url, "小明", { locale: "zh-CN" });
  expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
  await waitForText(page.getByRole("status"), "2 人在线");
  expect(await page.getByRole("list", { name: "在线用户" }).count()).toBe(1);
  expect(await page.getByRole("textbox", { name: "消息" }).count()).toBe(1);
  expect(await page.getByRole("button", { name: "发送" }).count()).toBe(1);
  expect(await page.getByRole("button", { name: "退出" }).count()).toBe(1);
  await waitForText(page.getByRole("log"), "今天");
  await userButton(page, "bot", "zh").click();
  await waitForText(page.locator("#conv-header"), "私聊");
  await page.getByRole("button", { name: "群组" }).click();

  // The Rooms list, New room and Browse rooms, in Chinese too.
  const rooms = page.getByRole("list", { name: "聊天室" });
  expect(await rooms.getByRole("button").first().textContent()).toContain("群组");
  await page.getByRole("button", { name: "新建聊天室" }).click();
  const create = page.getByRole("dialog", { name: "新建聊天室" });
  await create.getByRole("textbox", { name: "聊天室名称" }).waitFor();
  for (const radio of [/^公开/, /^私密/]) {
    expect(await create.getByRole("radio", { name: radio }).count()).toBe(1);
  }
  expect(await create.getByRole("textbox", { name: "主题（可选）" }).count()).toBe(1);
  expect(await create.getByRole("button", { name: "创建" }).count()).toBe(1);
  await create.getByRole("button", { name: "取消" }).click();
  await create.waitFor({ state: "detached" });

  await callOk(bot.socket, "room:create", { name: "大厅", kind: "open", topic: "随便聊" });
  await page.getByRole("button", { name: "浏览聊天室" }).click();
  const browse = page.getByRole("dialog", { name: "浏览聊天室" });
  await browse.getByRole("button", { name: "加入 大厅" }).waitFor();
  await waitForText(browse, "随便聊 · 1 名成员");
  expect(await seriousViolations(page)).toEqual([]);
  await browse.getByRole("button", { name: "关闭" }).click();
});

test("fits a 360 px phone: the sidebar folds behind a toggle", async () => {
  const { page } = await enter(browser, server.url, "phone", {
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
  });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  for (const name of ["Send", "Log out"]) {
    expect(await page.getByRole("button", { name }).isVisible()).toBe(true);
  }
  expect(await page.getByRole("textbox", { name: "Message" }).isVisible()).toBe(true);
  await waitForText(page.getByRole("status"), "2 online");
  const list = page.getByRole("list", { name: "Online users" });
  expect(await list.isVisible()).toBe(false);

  const toggle = page.getByRole("button", { name: "Online users and rooms" });
  await toggle.click();
  expect(await toggle.getAttribute("aria-expanded")).toBe("true");
  await userButton(page, "bot").click();
  await waitForText(page.locator("#conv-header"), "bot");
  await list.waitFor({ state: "hidden" });
  await page.getByRole("button", { name: "Group" }).click();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);

  // The Rooms list is in the folded sidebar, and both room dialogs fit the phone.
  await callOk(bot.socket, "room:create", {
    name: "Neighbourhood watch and gardening club",
    kind: "open",
    topic: "Tomatoes, hedges, lost cats and the summer street party: all welcome here",
  });
  await toggle.click();
  const rooms = page.getByRole("list", { name: "Rooms" });
  await rooms.waitFor();
  expect(await rooms.getByRole("button", { name: "Group" }).isVisible()).toBe(true);
  expect(await overflowing(page.locator("#sidebar"))).toEqual([]);
  await page.getByRole("button", { name: "New room" }).click();
  const create = page.getByRole("dialog", { name: "New room" });
  await create.getByRole("radio", { name: /^Closed/ }).check();
  expect(await overflowing(create)).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await create.getByRole("button", { name: "Cancel" }).click();
  await create.waitFor({ state: "detached" });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
  await page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = page.getByRole("dialog", { name: "Browse rooms" });
  await browse
    .getByRole("button", { name: "Join Neighbourhood watch and gardening club" })
    .waitFor();
  expect(await overflowing(browse)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  expect(await seriousViolations(page)).toEqual([]);
  await browse.getByRole("button", { name: "Close" }).click();
});

test("follows the dark colour scheme, still without serious axe violations", async () => {
  const { page } = await enter(browser, server.url, "night owl", {
    colorScheme: "dark",
    avatar: "owl",
  });
  const colour = (selector: string) =>
    page.locator(selector).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await colour(".sidebar")).toBe("rgb(28, 31, 38)");
  await waitForCount(messageText(page, "more news"), 1);
  expect(await seriousViolations(page)).toEqual([]);
});

// Issue 20, point 4: phones. A long unbroken word wraps inside its bubble (and is cut in
// quotes, file names and search results) instead of scrolling the page sideways; the header
// names the conversation at every width, with the room's actions behind a menu.
const SHOTS = path.resolve(__dirname, "../../.tmp/screenshots");
const shoot = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
};
const phone = (width: number) => ({
  viewport: { width, height: 740 },
  isMobile: true,
  hasTouch: true,
});

/**
 * What scrolls sideways or is drawn off the screen: the page, the log, or an element of
 * `within` past the viewport's edges (unless an ancestor of its own cuts it off: a long word
 * cut with an ellipsis is fine).
 */
const sideways = (page: Page, within = "main") =>
  page.evaluate(async (within) => {
    await Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {})));
    const doc = document.documentElement;
    const log = document.querySelector('[role="log"]')!;
    const width = doc.clientWidth;
    const out = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 1 && (r.left < -0.5 || r.right > width + 0.5);
    };
    const clipped = (el: Element) => {
      for (let up = el.parentElement; up && !up.matches(within); up = up.parentElement) {
        if (["hidden", "clip"].includes(getComputedStyle(up).overflowX) && !out(up)) return true;
      }
      return false;
    };
    const found = [...document.querySelectorAll(`${within} *`)]
      .filter((el) => out(el) && !clipped(el))
      .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""}`);
    if (log.scrollWidth > log.clientWidth) {
      found.unshift(`log ${log.scrollWidth} > ${log.clientWidth}`);
    }
    if (doc.scrollWidth > width) found.unshift(`page ${doc.scrollWidth} > ${width}`);
    return found;
  }, within);

/** The header's name: shown, inside the viewport, and given real room (not squeezed to nothing). */
async function headerName(page: Page, name: string) {
  const h1 = page.locator("#conv-header h1");
  await waitForText(h1, name);
  const box = (await h1.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(await h1.isVisible()).toBe(true);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(box.width).toBeGreaterThanOrEqual(Math.min(96, await h1.evaluate((el) => el.scrollWidth)));
  // One line: a long name is cut with an ellipsis, never wrapped or pushed out of view.
  expect(box.height).toBeLessThan(30);
}

test("a 2,000-character word wraps on 360 and 390 px phones, in messages, replies, files and search", async () => {
  const word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(45).slice(0, 2000);
  const long = await sendOk(bot.socket, { content: word });
  await sendOk(bot.socket, { content: `${word.slice(0, 300)} indeed`, replyTo: long.id });
  const file = await uploadOk(server.url, bot.token, "notes\n", `${"Minutes".repeat(27)}.txt`);
  await sendOk(bot.socket, { content: "the minutes", attachments: [file.id] });

  // Phones (touch: each message's actions in line under it), and a narrow window with a
  // mouse (the actions float beside the bubble).
  const shapes = [
    { width: 360, options: phone(360) },
    { width: 390, options: phone(390) },
    { width: 390, options: { viewport: { width: 390, height: 740 } } },
  ];
  for (const [i, { width, options }] of shapes.entries()) {
    const { page } = await enter(browser, server.url, `narrow ${i}`, options);
    await waitForCount(messageText(page, word), 1);
    await waitForCount(messageText(page, /indeed$/), 1);
    await page
      .getByRole("log")
      .getByRole("link", { name: /Minutes/ })
      .waitFor();
    expect(await sideways(page)).toEqual([]);
    const bubble = (await messageText(page, word).boundingBox())!;
    expect(bubble.x + bubble.width).toBeLessThanOrEqual(width);
    expect(bubble.height).toBeGreaterThan(200); // wrapped onto many lines

    // Replying to it: the quote above the composer stays on the screen too.
    await page
      .locator(".msg", { has: page.locator(".text", { hasText: word }) })
      .getByRole("button", { name: "Reply" })
      .click();
    await waitForText(page.locator("#reply-bar"), "Replying to bot");
    expect(await sideways(page)).toEqual([]);
    expect(await page.getByRole("button", { name: "Cancel reply" }).isVisible()).toBe(true);
    if (i === 0) {
      await page.getByRole("log").evaluate((el) => (el.scrollTop = el.scrollHeight));
      await shoot(page, "layout-long-word-360");
    }
    await page.getByRole("button", { name: "Cancel reply" }).click();

    // Found by search: the result fits the folded sidebar.
    await page.getByRole("button", { name: "Online users and rooms" }).click();
    const search = page.getByRole("searchbox", { name: "Search messages" });
    await search.fill("silicovolcano");
    await search.press("Enter");
    const results = page.getByRole("list", { name: "Search results" });
    await waitForCount(results.getByRole("button"), 2);
    expect(await sideways(page, "#sidebar")).toEqual([]);
    const sidebar = await page
      .locator("#sidebar")
      .evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(sidebar[0]).toBeLessThanOrEqual(sidebar[1]);
  }
});

test("on a 360 px phone the header names the room, with its icon, and its actions are in a menu", async () => {
  const { page } = await enter(browser, server.url, "roomie", phone(360));
  const { room } = await callOk<{ room: Room }>(bot.socket, "room:create", {
    name: "Birthday surprise",
    kind: "closed",
    topic: "Shh, not a word to Bob",
    members: ["roomie"],
  });
  await sendOk(bot.socket, { content: "Cake or pie?", room: room.id });
  const toggle = page.getByRole("button", { name: "Online users and rooms" });
  await toggle.click();
  await page
    .getByRole("list", { name: "Rooms" })
    .getByRole("button", { name: /^Birthday surprise/ })
    .click();
  await waitForCount(messageText(page, "Cake or pie?"), 1);
  await page.getByRole("list", { name: "Rooms" }).waitFor({ state: "hidden" });
  await headerName(page, "Birthday surprise");
  const convIcon = page.locator("#conv-icon");
  expect(await convIcon.isVisible()).toBe(true);
  expect(await convIcon.locator("use").getAttribute("href")).toBe("#i-lock");
  const back = page.getByRole("button", { name: "Group", exact: true });
  expect(await back.getAttribute("id")).toBe("group"); // the header's, icon only
  expect(await back.isVisible()).toBe(true);
  expect(await sideways(page)).toEqual([]);
  await shoot(page, "layout-room-360");

  // The actions: behind a menu button, by their own names once it is open.
  const menu = page.getByRole("button", { name: "Room actions", exact: true });
  const leave = page.getByRole("button", { name: "Leave room", exact: true });
  const add = page.getByRole("button", { name: "Add people", exact: true });
  expect(await menu.isVisible()).toBe(true);
  expect(await menu.getAttribute("aria-expanded")).toBe("false");
  expect(await leave.isVisible()).toBe(false);
  await menu.click();
  expect(await menu.getAttribute("aria-expanded")).toBe("true");
  await leave.waitFor();
  expect(await add.isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Delete room", exact: true }).count()).toBe(0);
  // Focus goes to the first action; arrow keys move between them.
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
  expect(await focused()).toBe("Add people");
  await page.keyboard.press("ArrowDown");
  expect(await focused()).toBe("Leave room");
  expect(await overflowing(page.locator("#room-actions"))).toEqual([]);
  await shoot(page, "layout-room-menu-360");
  expect(await seriousViolations(page)).toEqual([]);

  // Escape closes the menu, gives focus back to its button, and does nothing else.
  await page.keyboard.press("Escape");
  await leave.waitFor({ state: "hidden" });
  expect(await menu.getAttribute("aria-expanded")).toBe("false");
  expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
  await headerName(page, "Birthday surprise");
  // A tap elsewhere closes it too.
  await menu.click();
  await leave.waitFor();
  await page.getByRole("log").click({ position: { x: 5, y: 5 } });
  await leave.waitFor({ state: "hidden" });
  // Choosing an action closes the menu and opens its dialog.
  await menu.click();
  await leave.click();
  const dialog = page.getByRole("dialog", { name: "Leave room" });
  await waitForText(dialog, "Leave Birthday surprise?");
  expect(await menu.getAttribute("aria-expanded")).toBe("false");
  expect(await page.locator("#leave-room").isVisible()).toBe(false);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(await menu.evaluate((el) => el === document.activeElement)).toBe(true);
  await headerName(page, "Birthday surprise");

  // On a wide screen the same buttons stand in the header, without the menu.
  await page.setViewportSize({ width: 1280, height: 740 });
  await leave.waitFor();
  expect(await add.isVisible()).toBe(true);
  expect(await menu.isVisible()).toBe(false);
  await headerName(page, "Birthday surprise");
});

test("on a 360 px phone a private conversation shows the peer's name and picture", async () => {
  const { page } = await enter(browser, server.url, "chatty", phone(360));
  await page.getByRole("button", { name: "Online users and rooms" }).click();
  await userButton(page, "bot").click();
  await page.getByRole("list", { name: "Online users" }).waitFor({ state: "hidden" });
  await headerName(page, "bot");
  expect(await page.locator("#conv-avatar").isVisible()).toBe(true);
  expect(await page.getByRole("button", { name: "Group", exact: true }).isVisible()).toBe(true);
  expect(await sideways(page)).toEqual([]);
  await shoot(page, "layout-private-360");
  expect(await seriousViolations(page)).toEqual([]);
});
