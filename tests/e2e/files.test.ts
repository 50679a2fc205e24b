/// <reference lib="dom" />
// Files in real Chromium: attach with the button, paste and drop; a progress bar and removable
// files in the composer; the other user sees the image inline and opens it; other files are
// cards with a download link; an attachment goes through the outbox exactly once.
import type { Browser } from "playwright-core";
import {
  enterChat,
  launchBrowser,
  seriousViolations,
  waitConnected,
  waitForCount,
  type ChatUser,
} from "../support/browser";
import { startServer, type TestServer } from "../support/server";
import { png } from "../support/uploads";

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

const composerFiles = (u: ChatUser) => u.page.getByRole("list", { name: "Attachments" });

test("Attach sends an image; the other user sees its thumbnail and opens it full size", async () => {
  const chooser = alice.page.waitForEvent("filechooser");
  await alice.page.getByRole("button", { name: "Attach", exact: true }).click();
  await (
    await chooser
  ).setFiles({ name: "beach.png", mimeType: "image/png", buffer: await png(900, 600) });
  // Uploaded: the file waits in the composer, removable, until sent.
  await composerFiles(alice).getByRole("button", { name: "Remove beach.png" }).waitFor();
  await alice.page.locator(".pending-file .pending-thumb").waitFor();
  await alice.page.getByRole("textbox", { name: "Message" }).fill("at the beach");
  await alice.page.getByRole("button", { name: "Send" }).click();
  expect(await composerFiles(alice).isHidden()).toBe(true);

  const img = bob.page.getByRole("log").getByRole("img", { name: "beach.png" });
  await img.waitFor();
  expect(await img.getAttribute("loading")).toBe("lazy");
  // The box has its final size before the image loads: 400×267 for a 900×600 picture.
  expect([await img.getAttribute("width"), await img.getAttribute("height")]).toEqual([
    "400",
    "267",
  ]);
  await bob.page.waitForFunction(() => {
    const el = document.querySelector<HTMLImageElement>(".msg img.thumb");
    return !!el && el.complete && el.naturalWidth === 400;
  });
  await img.click();
  const dialog = bob.page.getByRole("dialog", { name: "beach.png" });
  await dialog.waitFor();
  await bob.page.waitForFunction(() => {
    const el = document.querySelector<HTMLImageElement>("dialog img.full-image");
    return !!el && el.complete && el.naturalWidth === 900;
  });
  expect(await dialog.getByRole("link", { name: "Download" }).getAttribute("href")).toMatch(
    /^\/uploads\/[0-9a-f]{32}$/,
  );
  expect(await seriousViolations(bob.page)).toEqual([]);
  await bob.page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
});

test("a pasted image is uploaded and sent; the image alone, without text", async () => {
  const bytes = [...(await png(120, 80))];
  await alice.page.getByRole("textbox", { name: "Message" }).focus();
  await alice.page.evaluate((data) => {
    const file = new File([new Uint8Array(data)], "pasted.png", { type: "image/png" });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const event = new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true });
    document.getElementById("message")!.dispatchEvent(event);
  }, bytes);
  await composerFiles(alice).getByRole("button", { name: "Remove pasted.png" }).waitFor();
  await alice.page.locator(".pending-file .pending-thumb").waitFor();
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
  await bob.page.getByRole("log").getByRole("img", { name: "pasted.png" }).waitFor();
  await waitForCount(alice.page.getByRole("log").getByRole("img", { name: "pasted.png" }), 1);
});

test("a dropped file shows as a card with its size and a download link; removed files are not sent", async () => {
  await alice.page.evaluate(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(["keep me"], "notes.txt", { type: "text/plain" }));
    transfer.items.add(new File(["drop me"], "unwanted.txt", { type: "text/plain" }));
    const main = document.querySelector("main")!;
    main.dispatchEvent(
      new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
    main.dispatchEvent(
      new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }),
    );
  });
  await composerFiles(alice).locator(".file-size").nth(1).waitFor();
  await composerFiles(alice).getByRole("button", { name: "Remove unwanted.txt" }).click();
  await alice.page.getByRole("textbox", { name: "Message" }).fill("the notes");
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
  const card = bob.page.getByRole("log").getByRole("link", { name: /notes\.txt/ });
  await card.waitFor();
  expect(await card.textContent()).toContain("7 bytes");
  expect(await card.getAttribute("download")).toBe("notes.txt");
  expect(await bob.page.getByRole("log").getByText("unwanted.txt").count()).toBe(0);
  const res = await bob.page.request.get(`${server.url}${await card.getAttribute("href")}`);
  expect(await res.text()).toBe("keep me");
});

test("sent while offline, an attachment is delivered once after the reconnect", async () => {
  const chooser = alice.page.waitForEvent("filechooser");
  await alice.page.getByRole("button", { name: "Attach", exact: true }).click();
  await (
    await chooser
  ).setFiles({ name: "later.txt", mimeType: "text/plain", buffer: Buffer.from("later") });
  await composerFiles(alice).locator(".file-size").waitFor();
  // The server drops alice's connections: the page goes offline, then reconnects by itself.
  for (const socket of server.chat.io.of("/").sockets.values()) {
    if (socket.data.user.name === "alice") socket.conn.close();
  }
  await waitConnected(alice.page, "offline");
  await alice.page.getByRole("textbox", { name: "Message" }).fill("sent while away");
  await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
  const link = bob.page.getByRole("log").getByRole("link", { name: /later\.txt/ });
  await link.waitFor();
  await waitForCount(bob.page.getByRole("log").getByRole("link", { name: /later\.txt/ }), 1);
  await waitForCount(alice.page.getByRole("log").getByRole("link", { name: /later\.txt/ }), 1);
});
