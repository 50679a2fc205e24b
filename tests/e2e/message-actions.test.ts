/// <reference lib="dom" />
// Message actions in real Chromium: reply, react, edit and delete seen live on a second
// user's page; search opens the conversation at the message; light formatting.
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
import { joinChat, sendOk } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

let server: TestServer;
let browser: Browser;
let alice: ChatUser;
let bob: ChatUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ RATE_LIMIT_MESSAGES: "1000" }),
    launchBrowser(),
  ]);
  alice = await enterChat(browser, server.url, "alice", { avatar: "fox" });
  bob = await enterChat(browser, server.url, "bob", { avatar: "owl" });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The row of the message whose own text holds `text` (not a reply quoting it). */
const row = (page: Page, text: string) =>
  page.getByRole("log").locator(".msg", { has: page.locator(".text", { hasText: text }) });
async function act(page: Page, text: string, action: string): Promise<void> {
  const item = row(page, text).last();
  await item.hover();
  await item.getByRole("button", { name: action, exact: true }).click();
}

test("reply: the answer quotes the original, and the quote jumps to it", async () => {
  await sendMessage(alice.page, "the original question");
  await waitForCount(messageText(bob.page, "the original question"), 1);
  await act(bob.page, "the original question", "Reply");
  await waitForText(bob.page.locator("#reply-bar"), "Replying to alice");
  await sendMessage(bob.page, "the answer");
  const answer = row(alice.page, "the answer");
  await answer.waitFor();
  await waitForText(answer.locator(".reply-quote"), "the original question");
  await answer.getByRole("button", { name: /^Reply to alice/ }).click();
  await alice.page.locator(".msg.flash", { hasText: "the original question" }).waitFor();
  expect(await bob.page.locator("#reply-bar").isVisible()).toBe(false);
});

test("react: a picked emoji shows as a button with its count on both pages", async () => {
  await act(bob.page, "the original question", "React");
  const picker = bob.page.getByRole("dialog", { name: "Pick a reaction" });
  expect(await seriousViolations(bob.page)).toEqual([]);
  await picker.getByRole("button", { name: /^👍/ }).click();
  const onAlice = row(alice.page, "the original question").getByRole("button", { name: "👍 1" });
  await onAlice.waitFor();
  expect(await onAlice.getAttribute("aria-pressed")).toBe("false");
  const onBob = row(bob.page, "the original question").getByRole("button", { name: "👍 1" });
  expect(await onBob.getAttribute("aria-pressed")).toBe("true");
  // alice adds hers by clicking the reaction: 2, highlighted for her.
  await onAlice.click();
  await row(bob.page, "the original question").getByRole("button", { name: "👍 2" }).waitFor();
});

test("edit: inline, Esc cancels, Enter saves; the other page shows it edited", async () => {
  expect(
    await row(bob.page, "the original question").getByRole("button", { name: "Edit" }).count(),
  ).toBe(0);
  await act(alice.page, "the original question", "Edit");
  const box = alice.page.getByRole("textbox", { name: "Edit" });
  await box.fill("never mind");
  await box.press("Escape");
  await box.waitFor({ state: "detached" });
  await act(alice.page, "the original question", "Edit");
  await alice.page.getByRole("textbox", { name: "Edit" }).fill("the question, edited");
  await alice.page.getByRole("textbox", { name: "Edit" }).press("Enter");
  await waitForText(row(bob.page, "the question, edited").locator(".edited"), "edited");
  // The reply quotes the original as it is now.
  await waitForText(row(bob.page, "the answer").locator(".reply-quote"), "the question, edited");
  expect(await bob.page.content()).not.toContain("never mind");
});

test("delete: after a confirm, both pages show that it was deleted", async () => {
  await act(alice.page, "the question, edited", "Delete");
  const confirm = alice.page.getByRole("dialog", { name: "Delete message" });
  await confirm.getByRole("button", { name: "Delete", exact: true }).click();
  for (const page of [alice.page, bob.page]) {
    await waitForCount(page.locator(".msg.deleted", { hasText: "This message was deleted" }), 1);
  }
  expect(await bob.page.getByRole("log").textContent()).not.toContain("the question, edited");
});

test("search: a result opens its conversation at the message, history loaded around it", async () => {
  const carol = await joinChat(server.url, "carol", "cat");
  const needle = await sendOk(carol.socket, { content: "where is the haystack needle?" });
  for (let i = 0; i < 70; i++) await sendOk(carol.socket, { content: `filler ${i}` });
  await bob.page.reload();
  await bob.page.locator('body[data-connection="online"]').waitFor({ state: "attached" });
  await waitForCount(messageText(bob.page, "where is the haystack needle?"), 0);
  const search = bob.page.getByRole("searchbox", { name: "Search messages" });
  await search.fill("HAYSTACK needle");
  await search.press("Enter");
  const results = bob.page.getByRole("list", { name: "Search results" });
  await results.getByRole("button", { name: /where is the haystack needle/ }).click();
  const found = bob.page.locator(`.msg[data-id="${needle.id}"]`);
  await found.waitFor();
  expect(await found.isVisible()).toBe(true);
  carol.socket.close();
});

test("search: a result in another, sparse conversation opens it at the message, with what came before", async () => {
  // ids are global: dave's private messages to bob lie far apart among group messages.
  const dave = await joinChat(server.url, "dave", "bear");
  const group = async (n: number) => {
    for (let i = 0; i < n; i++) await sendOk(dave.socket, { content: `group chatter ${i}` });
  };
  await sendOk(dave.socket, { to: "bob", content: "private before one" });
  await group(30);
  await sendOk(dave.socket, { to: "bob", content: "private before two" });
  await group(30);
  const needle = await sendOk(dave.socket, { to: "bob", content: "the private pinecone" });
  await group(30);
  for (let i = 0; i < 120; i++) await sendOk(dave.socket, { to: "bob", content: `later ${i}` });
  await bob.page.reload();
  await bob.page.locator('body[data-connection="online"]').waitFor({ state: "attached" });
  const search = bob.page.getByRole("searchbox", { name: "Search messages" });
  await search.fill("pinecone");
  await search.press("Enter");
  const results = bob.page.getByRole("list", { name: "Search results" });
  await results.getByRole("button", { name: /the private pinecone/ }).click();
  const found = bob.page.locator(`.msg[data-id="${needle.id}"]`);
  await found.waitFor();
  expect(await found.isVisible()).toBe(true);
  const log = bob.page.getByRole("log");
  await waitForCount(messageText(bob.page, "private before two"), 1);
  await waitForCount(messageText(bob.page, "private before one"), 1);
  expect(await log.textContent()).not.toContain("group chatter");
  // No hole between the message and the newest: every later one is there, in order.
  const texts = await log.locator(".msg .text").allTextContents();
  const later = texts.filter((x) => x.startsWith("later "));
  expect(later).toEqual(Array.from({ length: 120 }, (_, i) => `later ${i}`));
  dave.socket.close();
  await bob.page.getByRole("button", { name: "Group", exact: true }).click();
  await waitForText(bob.page.locator("#conv-header"), "Group");
});

test("react: the picker's search finds an emoji by name and reacts with it", async () => {
  await sendMessage(alice.page, "time for a coffee break");
  await waitForCount(messageText(bob.page, "time for a coffee break"), 1);
  await act(bob.page, "time for a coffee break", "React");
  const picker = bob.page.getByRole("dialog", { name: "Pick a reaction" });
  await picker.getByRole("searchbox", { name: "Search emoji" }).fill("rocket");
  expect(await picker.locator("button.emoji").count()).toBe(1);
  await picker.getByRole("button", { name: "🚀 rocket" }).click();
  await row(alice.page, "time for a coffee break").getByRole("button", { name: "🚀 1" }).waitFor();
});

test("keyboard: Tab reaches a message's actions, shown on focus and kept through updates", async () => {
  await bob.page.getByRole("log").focus();
  const focused = () =>
    bob.page.evaluate(() => {
      const el = document.activeElement;
      const bar = el?.closest(".msg .actions");
      return bar
        ? {
            label: el!.textContent,
            id: el!.closest<HTMLElement>(".msg")!.dataset.id,
            opacity: getComputedStyle(bar).opacity,
          }
        : null;
    });
  let now = await focused();
  for (let i = 0; i < 15 && now?.label !== "Reply"; i++) {
    await bob.page.keyboard.press("Tab");
    now = await focused();
  }
  expect(now?.label).toBe("Reply");
  await bob.page.waitForFunction(() => {
    const bar = document.activeElement?.closest(".actions");
    return !!bar && getComputedStyle(bar).opacity === "1";
  });
  // An update re-renders the log (alice reacts elsewhere): the focus stays where it was.
  await act(alice.page, "time for a coffee break", "React");
  await alice.page
    .getByRole("dialog", { name: "Pick a reaction" })
    .getByRole("button", { name: /^👍/ })
    .click();
  await row(bob.page, "time for a coffee break").getByRole("button", { name: "👍 1" }).waitFor();
  expect(await focused()).toMatchObject({ id: now?.id, label: "Reply" });
  await bob.page.keyboard.press("Enter");
  await waitForText(bob.page.locator("#reply-bar"), "Replying to");
  await bob.page.locator("#reply-cancel").click();
});

test("links: http(s) only, as <a> opening a new tab without opener", async () => {
  await sendMessage(
    alice.page,
    "see https://example.com/a?b=1, not javascript:alert(1) *or https://x.test*",
  );
  const text = messageText(bob.page, "see https://example.com").last();
  await text.waitFor();
  const links = await text.locator("a").evaluateAll((as) =>
    as.map((a) => ({
      href: a.getAttribute("href"),
      rel: a.getAttribute("rel"),
      target: a.getAttribute("target"),
      text: a.textContent,
    })),
  );
  expect(links).toEqual([
    {
      href: "https://example.com/a?b=1",
      rel: "noopener noreferrer nofollow",
      target: "_blank",
      text: "https://example.com/a?b=1",
    },
    {
      href: "https://x.test",
      rel: "noopener noreferrer nofollow",
      target: "_blank",
      text: "https://x.test",
    },
  ]);
  expect(await text.locator("strong a").count()).toBe(1);
  expect(await text.textContent()).toContain("javascript:alert(1)");
});

test("formatting: bold, italic, code and fenced blocks, built as elements", async () => {
  await sendMessage(alice.page, "a *bold* and _italic_ word, `x < y`");
  const text = messageText(bob.page, "word").last();
  await text.waitFor();
  expect(await text.locator("strong").textContent()).toBe("bold");
  expect(await text.locator("em").textContent()).toBe("italic");
  expect(await text.locator("code").textContent()).toBe("x < y");
  await alice.page.getByRole("textbox", { name: "Message" }).fill("```\nlet a = 1;\n```");
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
  await waitForText(bob.page.locator("pre.code-block code"), "let a = 1;");
});
