/// <reference lib="dom" />
// Three people in real Chromium: presence, group and private messages, unread badges,
// typing, text safety, keyboard, accessibility and logout.
import type { Browser, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  seriousViolations,
  userButton,
  waitForCount,
  waitForText,
  type ChatUser,
} from "../support/browser";
import { sleep } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let alice: ChatUser;
let bob: ChatUser;
let carol: ChatUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  alice = await enterChat(browser, server.url, "alice", { avatar: "fox" });
  bob = await enterChat(browser, server.url, "bob", { avatar: "owl" });
  carol = await enterChat(browser, server.url, "carol", { avatar: "cat" });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const status = (page: Page) => page.getByRole("status");
const everyone = () => [alice, bob, carol];

/** Back to the group room by its button in the Rooms list, as a person would. */
async function openGroup(page: Page): Promise<void> {
  const group = page.getByRole("list", { name: "Rooms" }).getByRole("button", { name: /^Group/ });
  await group.click();
  await group.and(page.locator("[aria-current='true']")).waitFor();
}

test("three users see 3 online, each other as buttons and themselves marked", async () => {
  for (const user of everyone()) {
    await waitForText(status(user.page), "3 online");
    const list = user.page.getByRole("list", { name: "Online users" });
    await waitForCount(list.getByRole("listitem"), 3);
    // Your own entry is marked and is not a button; the two others are.
    await waitForCount(list.getByRole("button"), 2);
    await waitForText(list.getByRole("listitem"), `${user.name}(you)`);
    expect(await userButton(user.page, user.name).count()).toBe(0);
  }
});

test("a group message reaches all three, marked as the sender's own", async () => {
  await sendMessage(alice.page, "Hello everyone");
  for (const user of everyone()) await waitForCount(messageText(user.page, "Hello everyone"), 1);
  expect(await alice.page.locator(".msg.own .text", { hasText: "Hello everyone" }).count()).toBe(1);
  expect(await bob.page.locator(".msg.own .text", { hasText: "Hello everyone" }).count()).toBe(0);
  // Avatar, name and local time come with it.
  const row = bob.page.locator(".msg", { hasText: "Hello everyone" });
  expect(await row.locator("img.avatar").getAttribute("src")).toBe("/avatars/fox.svg");
  expect(await row.locator(".name").textContent()).toBe("alice");
  expect(await row.locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);
});

test("a whisper reaches only its pair, with an unread badge that clears", async () => {
  await userButton(alice.page, "bob").click();
  await waitForText(alice.page.locator("#conv-header"), "Private conversation");
  await sendMessage(alice.page, "psst, just for you");
  await waitForCount(messageText(alice.page, "psst, just for you"), 1);

  // bob: a badge on alice, in the title; the group log does not show it.
  await userButton(bob.page, "alice").filter({ hasText: "1" }).waitFor();
  expect(await bob.page.title()).toBe("(1) Group chat");
  expect(await messageText(bob.page, "psst").count()).toBe(0);
  await userButton(bob.page, "alice").click();
  await waitForCount(messageText(bob.page, "psst, just for you"), 1);
  await waitForCount(userButton(bob.page, "alice").locator(".badge"), 0);
  expect(await bob.page.title()).toBe("Group chat");

  // bob answers; alice is in the conversation, so no badge there.
  await sendMessage(bob.page, "got it");
  await waitForCount(messageText(alice.page, "got it"), 1);
  expect(await userButton(alice.page, "bob").locator(".badge").count()).toBe(0);

  // carol sees none of it.
  await sleep(300);
  expect(await messageText(carol.page, "psst").count()).toBe(0);
  expect(await messageText(carol.page, "got it").count()).toBe(0);
  expect(await carol.page.locator(".badge:visible").count()).toBe(0);
});

test("the Group button counts unread group messages and goes back", async () => {
  await sendMessage(carol.page, "group news");
  const group = alice.page.getByRole("button", { name: "Group", exact: true });
  await group.filter({ hasText: "1" }).waitFor();
  await group.click();
  await waitForCount(messageText(alice.page, "group news"), 1);
  // v2: the Group button stays in the Rooms list, marked as the conversation shown.
  expect(await group.getAttribute("aria-current")).toBe("true");
  await waitForCount(group.locator(".badge:visible"), 0);
  expect(await messageText(alice.page, "psst").count()).toBe(0);
  // Opening the private conversation again loads its history.
  await userButton(bob.page, "alice").waitFor();
  await openGroup(bob.page);
  await userButton(bob.page, "alice").click();
  await waitForCount(messageText(bob.page, "psst, just for you"), 1);
  await openGroup(bob.page);
});

test("Escape closes only what is open and never changes the conversation", async () => {
  await userButton(alice.page, "bob").click();
  await waitForText(alice.page.locator("#conv-header"), "Private conversation");
  const box = alice.page.getByRole("textbox", { name: "Message" });
  // A picker open, then closed by Escape; then one Escape too many, with nothing open.
  const row = alice.page.locator(".msg", { hasText: "psst, just for you" });
  await row.hover();
  await row.getByRole("button", { name: "React", exact: true }).click();
  const picker = alice.page.getByRole("dialog");
  await picker.waitFor();
  await alice.page.keyboard.press("Escape");
  await picker.waitFor({ state: "detached" });
  await alice.page.keyboard.press("Escape");
  await box.focus();
  await box.press("Escape");
  // Still the private conversation with bob; what is typed next goes to bob alone.
  expect(await alice.page.locator("#conv-name").textContent()).toBe("bob");
  await waitForText(alice.page.locator("#conv-header"), "Private conversation");
  await sendMessage(alice.page, "after one Escape too many");
  await userButton(bob.page, "alice").filter({ hasText: "1" }).waitFor();
  // carol hears a group message sent after it, and never the private one.
  await sendMessage(bob.page, "group line after the escapes");
  await waitForCount(messageText(carol.page, "group line after the escapes"), 1);
  expect(await messageText(carol.page, "after one Escape too many").count()).toBe(0);
  expect(await messageText(alice.page, "group line after the escapes").count()).toBe(0);

  // Escape in the composer cancels a pending reply, and still leaves the conversation alone.
  await row.hover();
  await row.getByRole("button", { name: "Reply", exact: true }).click();
  const replyBar = alice.page.locator("#reply-bar");
  await replyBar.waitFor();
  await box.press("Escape");
  await replyBar.waitFor({ state: "hidden" });
  expect(await alice.page.locator("#conv-name").textContent()).toBe("bob");
  await openGroup(alice.page);
  await userButton(bob.page, "alice").click();
  await waitForCount(messageText(bob.page, "after one Escape too many"), 1);
  await openGroup(bob.page);
});

test("the typing indicator shows and clears on send and after a pause", async () => {
  const typing = (page: Page) => page.locator("#typing");
  await bob.page.getByRole("textbox", { name: "Message" }).fill("I am typ");
  await waitForText(typing(alice.page), "bob is typing…");
  await waitForText(typing(carol.page), "bob is typing…");
  expect(await typing(bob.page).textContent()).toBe("");
  await bob.page.getByRole("textbox", { name: "Message" }).press("Enter");
  await typing(alice.page).filter({ hasText: /^$/ }).waitFor();

  await carol.page.getByRole("textbox", { name: "Message" }).fill("hmm");
  await waitForText(typing(alice.page), "carol is typing…");
  await typing(alice.page).filter({ hasText: /^$/ }).waitFor({ timeout: 6000 });
  await carol.page.getByRole("textbox", { name: "Message" }).fill("");
});

test("user text is shown literally, never as HTML", async () => {
  const xss = "<img src=x onerror=alert(1)>";
  await sendMessage(bob.page, xss);
  for (const user of everyone()) {
    await waitForCount(messageText(user.page, xss), 1);
    expect(await messageText(user.page, xss).textContent()).toBe(xss);
    expect(await user.page.locator("#log img:not(.avatar)").count()).toBe(0);
  }
  await sleep(300);
  for (const user of everyone()) expect(user.dialogs).toEqual([]);
});

test("Shift+Enter adds a line, Enter sends, Send sends", async () => {
  const box = alice.page.getByRole("textbox", { name: "Message" });
  await box.fill("line one");
  await box.press("Shift+Enter");
  await box.pressSequentially("line two");
  expect(await box.inputValue()).toBe("line one\nline two");
  await box.press("Enter");
  await waitForCount(messageText(bob.page, "line one\nline two"), 1);
  expect(await box.inputValue()).toBe("");
  await box.fill("by the button");
  await alice.page.getByRole("button", { name: "Send" }).click();
  await waitForCount(messageText(carol.page, "by the button"), 1);
});

test("axe finds no serious or critical violation on the chat page", async () => {
  expect(await seriousViolations(alice.page)).toEqual([]);
  await userButton(alice.page, "bob").click();
  await waitForCount(messageText(alice.page, "got it"), 1);
  expect(await seriousViolations(alice.page)).toEqual([]);
  await openGroup(alice.page);
});

test("logging out drops the count for the others", async () => {
  await carol.page.getByRole("button", { name: "Log out" }).click();
  await carol.page.waitForURL(`${server.url}/`);
  await carol.page.getByRole("textbox", { name: "Nickname" }).waitFor();
  for (const user of [alice, bob]) {
    await waitForText(status(user.page), "2 online");
    await waitForCount(userButton(user.page, "carol"), 0);
  }
  // The chat page is gone for carol.
  await carol.page.goto(`${server.url}/chat`);
  expect(carol.page.url()).toBe(`${server.url}/`);
});
