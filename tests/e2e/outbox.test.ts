/// <reference lib="dom" />
// Never lose a message: what is typed while the server is down waits in the outbox and is
// delivered exactly once when it returns; after a drop the log is completed from history.
import net from "node:net";
import type { Browser } from "playwright-core";
import { userRoom } from "../../server/socket/types";
import {
  enterChat,
  launchBrowser,
  messageText,
  sendMessage,
  waitConnected,
  waitForCount,
  type ChatUser,
} from "../support/browser";
import { connect, connected, historyOf, joinChat, login, sendOk, sleep } from "../support/clients";
import { spawnServer, startServer, tempDir, type ServerProcess } from "../support/server";

jest.setTimeout(90_000);

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

test("a message typed while the server is down is delivered exactly once", async () => {
  const env = { PORT: String(await freePort()), DATA_DIR: tempDir() };
  let server: ServerProcess = await spawnServer(env);
  let alice: ChatUser | undefined;
  try {
    alice = await enterChat(browser, server.url, "alice");
    const { page } = alice;
    await sendMessage(page, "before the outage");
    await waitForCount(page.locator(".msg:not(.pending)", { hasText: "before the outage" }), 1);

    await server.stop();
    await waitConnected(page, "offline");
    expect(await page.getByRole("alert").isVisible()).toBe(true);
    await sendMessage(page, "typed while down");
    await sendMessage(page, "and a second one");
    await waitForCount(page.locator(".msg.pending"), 2);
    expect(await page.locator(".msg.pending .text").allTextContents()).toEqual([
      "typed while down",
      "and a second one",
    ]);

    server = await spawnServer(env);
    await waitConnected(page, "online");
    await waitForCount(page.locator(".msg.pending"), 0, 10_000);
    expect(await page.getByRole("alert").isVisible()).toBe(false);
    await sleep(500);
    for (const text of ["before the outage", "typed while down", "and a second one"]) {
      await waitForCount(messageText(page, text), 1);
    }

    // The server stored each once, in the order typed.
    const { token } = await login(server.url, "checker");
    const socket = connect(server.url, token);
    await connected(socket);
    const contents = (await historyOf(socket)).map((m) => m.content);
    socket.disconnect();
    expect(contents).toEqual(["before the outage", "typed while down", "and a second one"]);

    // A reload finds the outbox empty: nothing is sent again.
    await page.reload();
    await waitConnected(page);
    await waitForCount(messageText(page, "and a second one"), 1);
    await sleep(500);
    expect(await page.locator(".msg.pending").count()).toBe(0);
    await waitForCount(messageText(page, "typed while down"), 1);
  } finally {
    await alice?.context.close();
    await server.stop();
  }
});

test("after a dropped connection the log is completed from history, without duplicates", async () => {
  const server = await startServer();
  try {
    const bob = await joinChat(server.url, "bob", "owl");
    const alice = await enterChat(browser, server.url, "alice");
    await sendOk(bob.socket, { content: "first" });
    await waitForCount(messageText(alice.page, "first"), 1);

    // The server drops alice's sockets; what bob says meanwhile reaches her only via history.
    const { user } = (await (
      await fetch(`${server.url}/api/session`, {
        headers: {
          cookie: (await alice.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; "),
        },
      })
    ).json()) as { user: { id: string } };
    server.chat.io.in(userRoom(user.id)).disconnectSockets();
    await waitConnected(alice.page, "offline");
    for (const content of ["missed 1", "missed 2", "missed 3"])
      await sendOk(bob.socket, { content });
    await waitConnected(alice.page, "online");
    for (const content of ["first", "missed 1", "missed 2", "missed 3"]) {
      await waitForCount(messageText(alice.page, content), 1);
    }
    await sendOk(bob.socket, { content: "after" });
    await waitForCount(messageText(alice.page, "after"), 1);
    const shown = await alice.page.getByRole("log").locator(".text").allTextContents();
    expect(shown).toEqual(["first", "missed 1", "missed 2", "missed 3", "after"]);
    bob.socket.disconnect();
    await alice.context.close();
  } finally {
    await server.close();
  }
});
