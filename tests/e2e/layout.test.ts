/// <reference lib="dom" />
// The chat page in other shapes: Chinese, a 360 px phone (with the Rooms list and the room
// dialogs), dark mode, and a long history that loads as the reader scrolls up.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
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
