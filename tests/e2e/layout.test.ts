/// <reference lib="dom" />
// The chat page in other shapes: Chinese, a 360 px phone, dark mode, and a long history that
// loads as the reader scrolls up.
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  seriousViolations,
  userButton,
  waitForCount,
  waitForText,
} from "../support/browser";
import { joinChat, sendOk, type Client } from "../support/clients";
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
