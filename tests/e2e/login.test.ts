/// <reference lib="dom" />
// The login page in real Chromium: roles and names, errors, languages, phone size, axe.
import type { Browser } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  openLogin,
  seriousViolations,
  submitLogin,
} from "../support/browser";
import { login } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test("has a Nickname textbox, an Avatar radio group of pictures and an Enter button", async () => {
  const { page, context } = await openLogin(browser, server.url);
  expect(await page.getByRole("textbox", { name: "Nickname" }).count()).toBe(1);
  const group = page.getByRole("radiogroup", { name: "Avatar" });
  const radios = group.getByRole("radio");
  expect(await radios.count()).toBe(12);
  expect(await group.getByRole("radio", { name: "Fox" }).isChecked()).toBe(true);
  expect(await group.locator("img").count()).toBe(12);
  // Arrow keys move the choice, as in any radio group.
  await group.getByRole("radio", { name: "Fox" }).focus();
  await page.keyboard.press("ArrowRight");
  expect(await group.getByRole("radio", { name: "Owl" }).isChecked()).toBe(true);
  // The pictures are the radios' labels: a click on one chooses it.
  await page.getByRole("img", { name: "Whale" }).click();
  expect(await group.getByRole("radio", { name: "Whale" }).isChecked()).toBe(true);
  await group.getByRole("radio", { name: "Cat" }).check();
  expect(await group.getByRole("radio", { name: "Cat" }).isChecked()).toBe(true);
  expect(await page.getByRole("button", { name: "Enter" }).count()).toBe(1);
  expect(await page.getByRole("alert").count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("a held nickname shows the alert (409) and keeps what was typed", async () => {
  await login(server.url, "Holder");
  const { page, context } = await openLogin(browser, server.url);
  const response = page.waitForResponse((r) => r.url().endsWith("/login"));
  await submitLogin(page, "holder ", "panda");
  expect((await response).status()).toBe(409);
  expect(await page.getByRole("alert").textContent()).toContain("in use");
  expect(await page.getByRole("textbox", { name: "Nickname" }).inputValue()).toBe("holder ");
  expect(await page.getByRole("radio", { name: "Panda" }).isChecked()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("a bad nickname shows the alert (400)", async () => {
  const { page, context } = await openLogin(browser, server.url);
  const response = page.waitForResponse((r) => r.url().endsWith("/login"));
  await submitLogin(page, "<b>no</b>");
  expect((await response).status()).toBe(400);
  expect(await page.getByRole("alert").textContent()).toContain("letters");
  expect(await page.getByRole("textbox", { name: "Nickname" }).inputValue()).toBe("<b>no</b>");
  await context.close();
});

test("an open session goes straight to the chat", async () => {
  const user = await enterChat(browser, server.url, "returning");
  await user.page.goto(server.url);
  expect(user.page.url()).toBe(`${server.url}/chat`);
  await user.context.close();
});

test("is in Simplified Chinese when the browser prefers zh", async () => {
  const { page, context } = await openLogin(browser, server.url, { locale: "zh-CN" });
  expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
  expect(await page.getByRole("textbox", { name: "昵称" }).count()).toBe(1);
  expect(await page.getByRole("radiogroup", { name: "头像" }).getByRole("radio").count()).toBe(12);
  expect(await page.getByRole("radio", { name: "狐狸" }).isChecked()).toBe(true);
  await submitLogin(page, "holder", "panda", "zh");
  expect(await page.getByRole("alert").textContent()).toContain("该昵称已被使用");
  await context.close();
});

test("fits a 360 px phone, in light and dark", async () => {
  const backgrounds: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    const { page, context } = await openLogin(browser, server.url, {
      viewport: { width: 360, height: 640 },
      colorScheme,
    });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    expect(await page.getByRole("button", { name: "Enter" }).isVisible()).toBe(true);
    const card = page.locator(".login-card");
    backgrounds.push(await card.evaluate((el) => getComputedStyle(el).backgroundColor));
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  }
  expect(backgrounds).toEqual(["rgb(255, 255, 255)", "rgb(28, 31, 38)"]);
});
