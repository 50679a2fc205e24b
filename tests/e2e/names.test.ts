/// <reference lib="dom" />
// Every control the contract names, found by its exact accessible name (`exact: true`), not
// by a prefix: voice control ("click Open") and screen readers hear the name alone, and a
// hint belongs in the control's description.
import type { Browser, Locator, Page } from "playwright-core";
import {
  launchBrowser,
  messageText,
  openLogin,
  sendMessage,
  submitLogin,
  waitConnected,
  waitForCount,
  type ChatUser,
} from "../support/browser";
import { startServer, type TestServer } from "../support/server";

jest.setTimeout(60_000);

const CODE = "names-code";
let server: TestServer;
let browser: Browser;
let alice: ChatUser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ JOIN_CODE: CODE }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Role = Parameters<Page["getByRole"]>[0];

/** Exactly one visible control with that role and exact name, inside `scope`. */
async function named(scope: Page | Locator, role: Role, name: string): Promise<Locator> {
  const control = scope.getByRole(role, { name, exact: true });
  await control.first().waitFor();
  expect(await control.count()).toBe(1);
  expect(await control.isVisible()).toBe(true);
  return control;
}

/** The accessible description of a control (its aria-describedby text). */
function description(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ")
      .trim(),
  );
}

async function login(name: string): Promise<ChatUser> {
  const user = await openLogin(browser, server.url);
  await user.page.getByRole("textbox", { name: "Invite code", exact: true }).fill(CODE);
  await submitLogin(user.page, name);
  await user.page.waitForURL("**/chat");
  await waitConnected(user.page);
  return { ...user, name };
}

test("login page: Nickname, Invite code, the Avatar radio group and Enter", async () => {
  const { page, context } = await openLogin(browser, server.url);
  const nickname = await named(page, "textbox", "Nickname");
  expect(await description(nickname)).not.toBe("");
  await named(page, "textbox", "Invite code");
  const avatars = await named(page, "radiogroup", "Avatar");
  expect(await avatars.getByRole("radio").count()).toBeGreaterThanOrEqual(8);
  await named(page, "button", "Enter");
  // A refused login keeps the names and says why in an alert.
  await nickname.fill("names-bad");
  await page.getByRole("textbox", { name: "Invite code", exact: true }).fill("wrong code");
  await page.getByRole("button", { name: "Enter", exact: true }).click();
  await page.getByRole("alert").waitFor();
  await named(page, "textbox", "Nickname");
  await context.close();
});

test("chat page: every named control of the contract", async () => {
  alice = await login("alice");
  const bob = await login("bob");
  const { page } = alice;
  await named(page, "textbox", "Message");
  await named(page, "button", "Send");
  await named(page, "log", "Messages");
  await page.getByRole("status").filter({ hasText: "2 online" }).waitFor();
  const online = await named(page, "list", "Online users");
  await named(online, "button", "bob");
  const rooms = await named(page, "list", "Rooms");
  await named(rooms, "button", "Group");
  await named(page, "button", "Log out");
  await named(page, "button", "New room");
  await named(page, "button", "Browse rooms");
  await named(page, "button", "Attach");
  await named(page, "searchbox", "Search messages");
  await named(page, "button", "Add a device");
  await bob.context.close();
});

test("New room: the dialog, Room name, the radios Open and Closed (hints described), Create", async () => {
  const { page } = alice;
  await (await named(page, "button", "New room")).click();
  const dialog = await named(page, "dialog", "New room");
  await named(dialog, "textbox", "Room name");
  const open = await named(dialog, "radio", "Open");
  const closed = await named(dialog, "radio", "Closed");
  expect(await description(open)).toMatch(/find and join/);
  expect(await description(closed)).not.toBe("");
  expect(await open.isChecked()).toBe(true);
  // Chosen by their exact names, as a voice-control user would.
  await closed.check();
  expect(await open.isChecked()).toBe(false);
  await named(dialog, "button", "Create");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  await (await named(page, "button", "Browse rooms")).click();
  const browse = await named(page, "dialog", "Browse rooms");
  await page.keyboard.press("Escape");
  await browse.waitFor({ state: "detached" });
});

test("a message: Reply, React, Edit, Delete, and a reaction named with its emoji and count", async () => {
  const { page } = alice;
  await sendMessage(page, "names are exact");
  await waitForCount(messageText(page, "names are exact"), 1);
  const row = page.locator(".msg", { hasText: "names are exact" });
  await row.hover();
  for (const name of ["Reply", "Edit", "Delete"]) await named(row, "button", name);
  await (await named(row, "button", "React")).click();
  const picker = page.getByRole("dialog");
  await picker.getByRole("button", { name: "👍 thumbs", exact: true }).click();
  await named(row, "button", "👍 1");

  await page.getByRole("searchbox", { name: "Search messages", exact: true }).fill("exact");
  await page.getByRole("searchbox", { name: "Search messages", exact: true }).press("Enter");
  const results = await named(page, "list", "Search results");
  await waitForCount(results.getByRole("listitem"), 1);
  await page.getByRole("searchbox", { name: "Search messages", exact: true }).press("Escape");
});

test("Add a device: the dialog, its QR code, and Continue as <nickname> on the link page", async () => {
  const { page } = alice;
  await (await named(page, "button", "Add a device")).click();
  const dialog = await named(page, "dialog", "Add a device");
  await named(dialog, "img", "QR code");
  const url = await (await named(dialog, "textbox", "Link for your other device")).inputValue();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  const phone = await openLogin(browser, url);
  await named(phone.page, "button", "Continue as alice");
  await phone.context.close();
});
