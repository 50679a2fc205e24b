/// <reference lib="dom" />
// Rooms in real Chromium: a closed room of two of three users, its unread badge on two pages
// of one user, "@" offering its members, the "New" line, Browse rooms, leaving and deleting
// (each checked with axe), mentions, and the Group button on every page.
import type { Browser, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  seriousViolations,
  waitForCount,
  waitForText,
  userButton,
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

test("@ in a closed room of two suggests the other member, not an online non-member", async () => {
  await waitForText(alice.page.locator("#conv-header"), "Secret plans");
  // carol is online, listed in alice's Online users, but not in the room.
  await userButton(alice.page, "carol").waitFor();
  const box = alice.page.getByRole("textbox", { name: "Message" });
  const options = alice.page
    .getByRole("listbox", { name: "People to mention" })
    .getByRole("option");
  await box.fill("");
  await box.pressSequentially("@");
  await waitForCount(options, 1);
  expect(await options.allTextContents()).toEqual(["bob"]);
  await box.pressSequentially("c");
  await alice.page.getByRole("listbox", { name: "People to mention" }).waitFor({ state: "hidden" });
  await box.fill("");
  // In the group room everyone online is offered.
  await alice.page.getByRole("button", { name: "Group", exact: true }).click();
  await box.pressSequentially("@");
  await waitForCount(options, 2);
  expect(await options.allTextContents()).toEqual(["bob", "carol"]);
  await box.press("Escape");
  await box.fill("");
});

test("opening a room with unread messages draws the New line above the first; none when read", async () => {
  await roomButton(alice.page, "Secret plans").click();
  await bob.page.getByRole("button", { name: "Group", exact: true }).click();
  await sendMessage(alice.page, "first unread");
  await sendMessage(alice.page, "second unread");
  await roomButton(bob.page, "Secret plans").locator(".unread-badge", { hasText: "2" }).waitFor();
  await roomButton(bob.page, "Secret plans").click();
  await waitForCount(messageText(bob.page, "second unread"), 1);
  const divider = bob.page.getByRole("log").locator(".new-divider");
  await waitForCount(divider, 1);
  expect(await divider.textContent()).toBe("New");
  const around = await divider.evaluate((el) => ({
    before: [...(el.previousElementSibling?.querySelectorAll(".text") ?? [])].map(
      (t) => t.textContent,
    ),
    after: el.nextElementSibling?.querySelector(".text")?.textContent,
  }));
  expect(around).toEqual({ before: ["the plan is on"], after: "first unread" });
  // bob is a member, not the creator: he may leave but not delete.
  expect(await bob.page.getByRole("button", { name: "Leave room" }).isVisible()).toBe(true);
  expect(await bob.page.getByRole("button", { name: "Delete room" }).count()).toBe(0);

  // Opened again with nothing unread: no line.
  await bob.page.getByRole("button", { name: "Group", exact: true }).click();
  await roomButton(bob.page, "Secret plans").click();
  await waitForText(bob.page.locator("#conv-header"), "Secret plans");
  await waitForCount(messageText(bob.page, "second unread"), 1);
  expect(await divider.count()).toBe(0);
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
  await browse.getByRole("button", { name: "Join Cats" }).waitFor();
  expect(await seriousViolations(carol.page)).toEqual([]);
  await browse.getByRole("button", { name: "Join Cats" }).click();
  await waitForText(carol.page.locator("#conv-header"), "Cats");
  await roomButton(carol.page, "Cats").waitFor();
  await sendMessage(carol.page, "meow");
  await waitForCount(messageText(bob.page, "meow"), 1);
  // Leaving asks first, then the room is gone from the list.
  await carol.page.getByRole("button", { name: "Leave room" }).click();
  const leave = carol.page.getByRole("dialog", { name: "Leave room" });
  await waitForText(leave, "Leave Cats? You can be added again later.");
  expect(await leave.locator("bdi").allTextContents()).toEqual(["Cats"]);
  expect(await seriousViolations(carol.page)).toEqual([]);
  await leave.getByRole("button", { name: "Leave room" }).click();
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

test("Delete room by its creator, after the confirm, removes it from both users' Rooms lists", async () => {
  await roomButton(alice.page, "Secret plans").click();
  await waitForText(alice.page.locator("#conv-header"), "Secret plans");
  // The room header, with its actions.
  expect(await seriousViolations(alice.page)).toEqual([]);
  await alice.page.getByRole("button", { name: "Delete room" }).click();
  const confirm = alice.page.getByRole("dialog", { name: "Delete room" });
  await waitForText(confirm, "Delete Secret plans and all of its messages, for everyone?");
  expect(await confirm.locator("bdi").allTextContents()).toEqual(["Secret plans"]);
  expect(await seriousViolations(alice.page)).toEqual([]);
  // Cancel keeps it.
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await confirm.waitFor({ state: "detached" });
  expect(await roomButton(bob.page, "Secret plans").count()).toBe(1);

  await alice.page.getByRole("button", { name: "Delete room" }).click();
  await alice.page
    .getByRole("dialog", { name: "Delete room" })
    .getByRole("button", { name: "Delete room" })
    .click();
  for (const page of [alice.page, bob.page, bobAgain]) {
    await roomButton(page, "Secret plans").waitFor({ state: "detached" });
  }
  // Both were in it: each is back in Group.
  await waitForText(alice.page.locator("#conv-header"), "Group");
  await waitForText(bob.page.locator("#conv-header"), "Group");
});
