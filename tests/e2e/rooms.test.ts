/// <reference lib="dom" />
// Rooms in real Chromium: a closed room made with two of three users through the New room
// dialog stays invisible to the third; unread badges that clear on every page of the reader;
// mentions; browsing and joining open rooms; leaving and deleting with an in-page confirmation.
import type { Browser, Page } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  messageText,
  roomButton,
  sendMessage,
  seriousViolations,
  waitConnected,
  waitForCount,
  waitForText,
  userButton,
  type ChatUser,
} from "../support/browser";
import { joinChat, sendOk, sleep } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let alice: ChatUser;
let bob: ChatUser;
let carol: ChatUser;
/** bob's second tab, in the same browser context (same session). */
let bob2: Page;

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

const SECRET = "secret plans";
const header = (page: Page) => page.locator("#conv-header");
const rooms = (page: Page) => page.getByRole("list", { name: "Rooms" });

test("every chat page has one Group button, first in Rooms, above Online users", async () => {
  for (const { page } of [alice, bob, carol]) {
    expect(await page.getByRole("button", { name: /^Group/ }).count()).toBe(1);
    expect(await rooms(page).getByRole("button").first().textContent()).toMatch(/^Group/);
    const order = await page.evaluate(() => {
      const r = document.querySelector("#rooms")!;
      const u = document.querySelector("#users")!;
      return r.compareDocumentPosition(u) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
  }
});

test("alice makes a closed room with bob in the New room dialog; carol never sees it", async () => {
  const { page } = alice;
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.waitFor();
  await dialog.getByRole("textbox", { name: "Room name" }).fill(SECRET);
  await dialog.getByRole("radio", { name: "Closed" }).check();
  const members = dialog.getByRole("group", { name: "Members" });
  await members.getByRole("checkbox", { name: "bob" }).check();
  expect(await members.getByRole("checkbox", { name: "carol" }).isChecked()).toBe(false);
  await dialog.getByRole("textbox", { name: "Topic (optional)" }).fill("The party for Dmitri");
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "hidden" });

  // The new room opens, with its topic and member count.
  await waitForText(header(page), SECRET);
  await waitForText(header(page), "The party for Dmitri");
  await waitForText(header(page), "2 members");
  await roomButton(page, SECRET).waitFor();
  await roomButton(bob.page, SECRET).waitFor();
  await sleep(300);
  expect(await roomButton(carol.page, SECRET).count()).toBe(0);

  // The same name again is refused inside the dialog.
  await page.getByRole("button", { name: "New room" }).click();
  await dialog.getByRole("textbox", { name: "Room name" }).fill("Secret Plans");
  await dialog.getByRole("button", { name: "Create" }).click();
  await waitForText(dialog.getByRole("alert"), "exists already");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  await waitForText(header(page), SECRET);
});

test("a room message reaches bob with an unread badge, and never carol", async () => {
  await sendMessage(alice.page, "meet at five");
  await waitForCount(messageText(alice.page, "meet at five"), 1);
  // bob has the group room open: a badge on the room.
  await roomButton(bob.page, SECRET).filter({ hasText: "1" }).waitFor();
  await bob.page.getByRole("button", { name: `${SECRET} 1 unread` }).waitFor();
  expect(await messageText(bob.page, "meet at five").count()).toBe(0);
  expect(await bob.page.title()).toBe("(1) Group chat");

  await sleep(300);
  expect(await messageText(carol.page, "meet at five").count()).toBe(0);
  expect(await roomButton(carol.page, SECRET).count()).toBe(0);
  await carol.page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = carol.page.getByRole("dialog", { name: "Browse rooms" });
  await waitForText(browse, "No open rooms yet");
  expect(await browse.getByText(SECRET).count()).toBe(0);
  await browse.getByRole("button", { name: "Close" }).click();
  await browse.waitFor({ state: "hidden" });
});

test("opening the room on one of bob's pages clears the badge on both", async () => {
  bob2 = await bob.context.newPage();
  bob2.on("dialog", (d) => {
    bob.dialogs.push(d.message());
    void d.dismiss();
  });
  await bob2.goto(`${server.url}/chat`);
  await waitConnected(bob2);
  // The second page learns the unread count from the server's rooms snapshot.
  await roomButton(bob2, SECRET).filter({ hasText: "1 unread" }).waitFor();

  await roomButton(bob.page, SECRET).click();
  await waitForCount(messageText(bob.page, "meet at five"), 1);
  await waitForText(header(bob.page), SECRET);
  // The "New" divider sits above the first unread message.
  await waitForCount(bob.page.getByRole("separator", { name: "New" }), 1);
  await waitForCount(roomButton(bob.page, SECRET).locator(".badge"), 0);
  await waitForCount(roomButton(bob2, SECRET).locator(".badge"), 0);
  expect(await bob2.title()).toBe("Group chat");

  // Typing is per conversation: shown in the room to bob, never to carol in the group.
  await alice.page.getByRole("textbox", { name: "Message" }).fill("let me check");
  await waitForText(bob.page.locator("#typing"), "alice is typing…");
  await sleep(300);
  expect(await carol.page.locator("#typing").textContent()).toBe("");
  await alice.page.getByRole("textbox", { name: "Message" }).fill("");

  // bob answers in the room; alice, who has it open, gets no badge.
  await sendMessage(bob.page, "five works");
  await waitForCount(messageText(alice.page, "five works"), 1);
  expect(await roomButton(alice.page, SECRET).locator(".badge").count()).toBe(0);
  await sleep(300);
  expect(await messageText(carol.page, "five works").count()).toBe(0);
  // bob's second page leaves the group room too (else it reads what arrives there).
  await roomButton(bob2, SECRET).click();
  await waitForCount(messageText(bob2, "five works"), 1);
  // The first page is bob's foreground tab again (background tabs are throttled).
  await bob.page.bringToFront();
});

test("@ completes nicknames, and a mention is highlighted for the one mentioned", async () => {
  const box = carol.page.getByRole("textbox", { name: "Message" });
  await box.pressSequentially("hey @bo");
  const options = carol.page.getByRole("listbox", { name: "Nicknames to mention" });
  await options.getByRole("option", { name: "bob" }).waitFor();
  await box.press("Enter");
  expect(await box.inputValue()).toBe("hey @bob ");
  await options.waitFor({ state: "hidden" });
  await box.pressSequentially("the cake is ready");
  await box.press("Enter");

  // bob is in the room: the group room gets an unread and a mention badge.
  await bob.page.getByRole("button", { name: "Group 1 unread 1 mention" }).waitFor();
  await roomButton(bob.page, "Group").click();
  const row = bob.page.locator(".msg.mention", { hasText: "hey @bob the cake is ready" });
  await row.waitFor();
  await waitForText(row, "Mentions you");
  expect(await seriousViolations(bob.page)).toEqual([]);
  await waitForCount(roomButton(bob.page, "Group").locator(".badge"), 0);
  // Not highlighted for the others.
  await roomButton(alice.page, "Group").click();
  await waitForCount(messageText(alice.page, "hey @bob the cake is ready"), 1);
  expect(await alice.page.locator(".msg.mention").count()).toBe(0);
  await roomButton(alice.page, SECRET).click();
  await waitForText(header(alice.page), SECRET);
});

test("an open room can be found in Browse rooms and joined", async () => {
  const { page } = carol;
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.getByRole("textbox", { name: "Room name" }).fill("lobby");
  await dialog.getByRole("button", { name: "Create" }).click();
  await waitForText(header(page), "lobby");

  await bob.page.getByRole("button", { name: "Browse rooms" }).click();
  const browse = bob.page.getByRole("dialog", { name: "Browse rooms" });
  await browse.getByRole("button", { name: "Join lobby" }).waitFor();
  expect(await seriousViolations(bob.page)).toEqual([]);
  await browse.getByRole("button", { name: "Join lobby" }).click();
  await browse.waitFor({ state: "hidden" });
  await waitForText(header(bob.page), "lobby");
  await roomButton(bob.page, "lobby").waitFor();
  await waitForText(header(page), "2 members");
  await sendMessage(bob.page, "hello lobby");
  await waitForCount(messageText(page, "hello lobby"), 1);
  // alice never joined: the room is not in her list and its messages do not reach her.
  expect(await roomButton(alice.page, "lobby").count()).toBe(0);
  expect(await messageText(alice.page, "hello lobby").count()).toBe(0);
});

test("leaving and deleting ask in the page, then the room goes from every list", async () => {
  // bob leaves the lobby: only after confirming.
  await bob.page.getByRole("button", { name: "Leave room" }).click();
  const confirm = bob.page.getByRole("dialog", { name: "Are you sure?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await waitForText(header(bob.page), "lobby");
  await bob.page.getByRole("button", { name: "Leave room" }).click();
  await confirm.getByRole("button", { name: "Leave room" }).click();
  await waitForCount(roomButton(bob.page, "lobby"), 0);
  await waitForText(header(bob.page), "Group");
  // Not the creator: no Delete room for bob in the secret room.
  await roomButton(bob.page, SECRET).click();
  await waitForText(header(bob.page), SECRET);
  expect(await bob.page.getByRole("button", { name: "Delete room" }).isVisible()).toBe(false);

  await alice.page.getByRole("button", { name: "Delete room" }).click();
  const sure = alice.page.getByRole("dialog", { name: "Are you sure?" });
  await sure.getByRole("button", { name: "Delete room" }).click();
  for (const page of [alice.page, bob.page, bob2]) await waitForCount(roomButton(page, SECRET), 0);
  await waitForText(header(bob.page), "Group");
  for (const user of [alice, bob, carol]) expect(user.dialogs).toEqual([]);
});

test("on a 360 px phone in Chinese, dark: rooms in the sidebar, New room and Add people", async () => {
  const phone = await enterChat(browser, server.url, "小红", {
    locale: "zh-CN",
    colorScheme: "dark",
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    avatar: "cat",
  });
  const { page } = phone;
  try {
    const list = page.getByRole("list", { name: "聊天室" });
    expect(await list.isVisible()).toBe(false);
    await page.getByRole("button", { name: "在线用户和聊天室" }).click();
    await roomButton(page, "群组", "zh").waitFor();
    await page.getByRole("button", { name: "新建聊天室" }).click();
    const dialog = page.getByRole("dialog", { name: "新建聊天室" });
    await dialog.getByRole("textbox", { name: "聊天室名称" }).fill("小组");
    await dialog.getByRole("radio", { name: "非公开" }).check();
    await dialog.getByRole("checkbox", { name: "alice" }).check();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "创建" }).click();
    await waitForText(header(page), "小组");
    await waitForText(header(page), "2 名成员");
    await list.waitFor({ state: "hidden" });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
    await roomButton(alice.page, "小组").waitFor();

    // A member adds carol, who then finds the room in her list.
    await page.getByRole("button", { name: "添加成员" }).click();
    const add = page.getByRole("dialog", { name: "添加成员到 小组" });
    await add.getByRole("checkbox", { name: "carol" }).check();
    await add.getByRole("button", { name: "添加", exact: true }).click();
    await add.waitFor({ state: "hidden" });
    await roomButton(carol.page, "小组").waitFor();
    await waitForText(header(page), "3 名成员");
    expect(await seriousViolations(page)).toEqual([]);
    expect(phone.dialogs).toEqual([]);
  } finally {
    await phone.context.close();
  }
});

test("a private conversation with someone now offline stays in Direct messages after a reload", async () => {
  const dmitri = await joinChat(server.url, "dmitri", "bear");
  await sendOk(dmitri.socket, { content: "ping from dmitri", to: "alice" });
  dmitri.socket.disconnect(); // still holds the nickname: the session lives on
  await waitForCount(userButton(alice.page, "dmitri"), 0);
  await alice.page.reload();
  await waitConnected(alice.page);
  const directs = alice.page.getByRole("list", { name: "Direct messages" });
  await directs.getByRole("button", { name: "dmitri 1 unread" }).waitFor();
  await directs.getByRole("button", { name: /^dmitri/ }).click();
  await waitForCount(messageText(alice.page, "ping from dmitri"), 1);
  await waitForText(header(alice.page), "dmitri is offline");
  await waitForCount(directs.getByRole("button", { name: /^dmitri/ }).locator(".badge"), 0);
  expect(await userButton(alice.page, "dmitri").count()).toBe(0);
});
