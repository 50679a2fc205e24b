/// <reference lib="dom" />
// Rooms in real Chromium: a closed room of two of three users, its unread badge on two pages
// of one user, Browse rooms, mentions, and the Group button on every page.
import type { Browser, Page } from "playwright-core";
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
import { sleep } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let alice: ChatUser;
let bob: ChatUser;
let carol: ChatUser;
let bobAgain: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  alice = await enterChat(browser, server.url, "alice", { avatar: "fox" });
  bob = await enterChat(browser, server.url, "bob", { avatar: "owl" });
  carol = await enterChat(browser, server.url, "carol", { avatar: "cat" });
  // bob's second tab: same browser context, same session.
  bobAgain = await bob.context.newPage();
  await bobAgain.goto(`${server.url}/chat`);
  await bobAgain.locator('body[data-connection="online"]').waitFor({ state: "attached" });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const roomsList = (page: Page) => page.getByRole("list", { name: "Rooms" });
const roomButton = (page: Page, name: string) =>
  roomsList(page).getByRole("button", { name: new RegExp(`^${name}`) });

test("every chat page has the Group button, first in Rooms", async () => {
  for (const page of [alice.page, bob.page, carol.page, bobAgain]) {
    const first = roomsList(page).getByRole("button").first();
    expect(await first.textContent()).toContain("Group");
    expect(await page.getByRole("button", { name: "Group", exact: true }).count()).toBe(1);
  }
});

test("a closed room made for two of three: the third never sees it or its messages", async () => {
  await alice.page.getByRole("button", { name: "New room" }).click();
  const dialog = alice.page.getByRole("dialog", { name: "New room" });
  await dialog.getByRole("textbox", { name: "Room name" }).fill("Secret plans");
  await dialog.getByRole("radio", { name: /^Closed/ }).check();
  await dialog.getByRole("checkbox", { name: "bob" }).check();
  expect(await seriousViolations(alice.page)).toEqual([]);
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "detached" });
  await waitForText(alice.page.locator("#conv-header"), "Secret plans");
  await roomButton(alice.page, "Secret plans").waitFor();
  await roomButton(bob.page, "Secret plans").waitFor();
  await roomButton(bobAgain, "Secret plans").waitFor();

  await sendMessage(alice.page, "the plan is on");
  await waitForCount(messageText(alice.page, "the plan is on"), 1);

  // bob is in Group on both pages: a badge on the room, on each page.
  for (const page of [bob.page, bobAgain]) {
    await roomButton(page, "Secret plans").locator(".unread-badge", { hasText: "1" }).waitFor();
  }
  // Opened on one page, it clears on the other (read state follows the user).
  await roomButton(bob.page, "Secret plans").click();
  await waitForCount(messageText(bob.page, "the plan is on"), 1);
  for (const page of [bob.page, bobAgain]) {
    await roomButton(page, "Secret plans")
      .locator(".unread-badge:visible")
      .waitFor({ state: "detached" });
  }

  // carol: not in Rooms, not in Browse rooms, not a word of it anywhere.
  await sleep(300);
  expect(await roomButton(carol.page, "Secret plans").count()).toBe(0);
  await carol.page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = carol.page.getByRole("dialog", { name: "Browse rooms" });
  await browse.waitFor();
  await sleep(300);
  expect(await browse.textContent()).not.toContain("Secret plans");
  await browse.getByRole("button", { name: "Close" }).click();
  expect(await carol.page.content()).not.toContain("the plan is on");
  expect(await carol.page.content()).not.toContain("Secret plans");
});

test("an open room is found in Browse rooms and joined", async () => {
  await bob.page.getByRole("button", { name: "New room" }).click();
  const dialog = bob.page.getByRole("dialog", { name: "New room" });
  await dialog.getByRole("textbox", { name: "Room name" }).fill("Cats");
  await dialog.getByRole("textbox", { name: /^Topic/ }).fill("photos of cats");
  await dialog.getByRole("button", { name: "Create" }).click();
  await waitForText(bob.page.locator("#conv-header"), "photos of cats");

  await carol.page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = carol.page.getByRole("dialog", { name: "Browse rooms" });
  await browse.getByRole("button", { name: "Join Cats" }).click();
  await waitForText(carol.page.locator("#conv-header"), "Cats");
  await roomButton(carol.page, "Cats").waitFor();
  await sendMessage(carol.page, "meow");
  await waitForCount(messageText(bob.page, "meow"), 1);
  // Leaving asks first, then the room is gone from the list.
  await carol.page.getByRole("button", { name: "Leave room" }).click();
  await carol.page
    .getByRole("dialog", { name: "Leave room" })
    .getByRole("button", { name: "Leave room" })
    .click();
  await roomButton(carol.page, "Cats").waitFor({ state: "detached" });
  await waitForText(carol.page.locator("#conv-header"), "Group");
});

test("a mention is highlighted for the one mentioned, and @ suggests people", async () => {
  await carol.page.getByRole("button", { name: "Group", exact: true }).click();
  const box = carol.page.getByRole("textbox", { name: "Message" });
  await box.fill("");
  await box.pressSequentially("hey @bo");
  const options = carol.page
    .getByRole("listbox", { name: "People to mention" })
    .getByRole("option");
  await waitForCount(options, 1);
  await box.press("Enter"); // picks, does not send
  expect(await box.inputValue()).toBe("hey @bob ");
  await box.pressSequentially("look at this");
  await box.press("Enter");
  await bob.page.getByRole("button", { name: "Group", exact: true }).click();
  await bob.page.locator(".msg.mentions-me", { hasText: "hey @bob look at this" }).waitFor();
  expect(await alice.page.locator(".msg.mentions-me").count()).toBe(0);
  expect(await seriousViolations(bob.page)).toEqual([]);
});
