import path from "node:path";
import type { Message } from "../../common/events";
import { SqliteStore } from "../../server/store/sqlite-store";
import { GROUP_CONVERSATION, type ChatStore, type NewMessage } from "../../server/store/types";
import {
  connect,
  connected,
  eventually,
  historyOf,
  joinChat,
  login,
  nextEvent,
  sendOk,
  sleep,
} from "../support/clients";
import { spawnServer, startServer, tempDir } from "../support/server";

describe("restart", () => {
  it("every acked message is there after a SIGTERM restart and after a kill -9, sessions too", async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: "1000" };
    let node = await spawnServer(env);
    const a = await joinChat(node.url);
    const acked: Message[] = [];
    for (let i = 0; i < 30; i++)
      acked.push(await sendOk(a.socket, { content: `before stop ${i}` }));
    a.socket.close();
    expect(await node.stop()).toBe(0);

    node = await spawnServer(env);
    // The session survives the restart: the same token still works.
    const again = connect(node.url, a.token);
    await connected(again);
    expect((await historyOf(again, { limit: 100 })).map((m) => m.id)).toEqual(
      acked.map((m) => m.id),
    );

    // Fire a burst and kill -9 as soon as the last ack arrives: acked means stored.
    const burst = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sendOk(again, { content: `before kill ${i}` })),
    );
    await node.kill();
    node = await spawnServer(env);
    const reader = await joinChat(node.url);
    const stored = new Set((await historyOf(reader.socket, { limit: 100 })).map((m) => m.id));
    for (const m of burst) expect(stored.has(m.id)).toBe(true);
    reader.socket.close();
    await node.stop();
  });

  it("start-up fails fast with a one-line reason on a bad setting", async () => {
    await expect(spawnServer({ PORT: "not-a-port", DATA_DIR: tempDir() })).rejects.toThrow(
      /config error: invalid PORT/,
    );
    await expect(spawnServer({ REDIS_URL: "http://x", DATA_DIR: tempDir() })).rejects.toThrow(
      /config error: invalid REDIS_URL/,
    );
  });
});

describe("graceful shutdown", () => {
  it("turns /healthz to 503, refuses new sockets and lets acks in flight finish", async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, "chat.db");
    const sqlite = new SqliteStore(file);
    // A slow disk: every write takes 300 ms, so messages are still in flight at SIGTERM.
    const store: ChatStore = Object.assign(Object.create(sqlite) as ChatStore, {
      append: (m: NewMessage, since: number) => sleep(300).then(() => sqlite.append(m, since)),
    });
    const server = await startServer({ DATA_DIR: dataDir }, { store });
    const a = await joinChat(server.url);
    const { token } = await login(server.url);
    const pending = Array.from({ length: 10 }, (_, i) =>
      sendOk(a.socket, { content: `late ${i}` }),
    );
    await sleep(100);
    const closing = server.close();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    const refused = connect(server.url, token);
    await expect(connected(refused)).rejects.toThrow("unavailable");
    refused.close();
    const acked = await Promise.all(pending);
    await closing;
    const reopened = new SqliteStore(file);
    const stored = await reopened.history({ conversation: GROUP_CONVERSATION, limit: 50 });
    expect(stored.map((m) => m.id)).toEqual(acked.map((m) => m.id));
    await reopened.close();
  });
});

describe("reconnect without loss", () => {
  it("a short disconnect is recovered: missed messages are replayed", async () => {
    const server = await startServer();
    const a = await joinChat(server.url);
    const { token } = await login(server.url);
    const b = connect(server.url, token, { reconnection: true, reconnectionDelay: 100 });
    const got: Message[] = [];
    b.on("textmsg", (m) => got.push(m));
    const online = nextEvent(b, "online");
    await connected(b);
    await online;
    // Cut the transport without a clean close, as a network drop would.
    (b.io.engine as unknown as { close(): void }).close();
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await sendOk(a.socket, { content: `missed ${i}` }));
    await eventually(() => b.connected && got.length >= 5);
    expect(b.recovered).toBe(true);
    expect(got.map((m) => m.id)).toEqual(sent.map((m) => m.id));
    b.close();
    a.socket.close();
    await server.close();
  });

  it("keeps broadcasts for recovery but not a connection's own rooms snapshot, sent afresh", async () => {
    const server = await startServer();
    const a = await joinChat(server.url);
    const { token } = await login(server.url);
    const b = connect(server.url, token, { reconnection: true, reconnectionDelay: 100 });
    const onlines: number[] = [];
    let roomsSnapshots = 0;
    b.on("online", (o) => onlines.push(o.count));
    b.on("rooms", () => roomsSnapshots++);
    await connected(b);
    await eventually(() => onlines.length === 1 && roomsSnapshots === 1);
    const m = await sendOk(a.socket, { content: "kept for recovery" });
    // What Socket.IO's in-memory adapter keeps for the recovery window.
    const kept = (
      server.chat.io.of("/").adapter as unknown as { packets: { data: unknown[] }[] }
    ).packets.map((p) => p.data[0]);
    expect(kept).toContain("textmsg");
    // `online` is kept, once per batch of new sockets: it gives each its first offset.
    expect(kept).toContain("online");
    expect(kept).not.toContain("rooms");
    (b.io.engine as unknown as { close(): void }).close();
    const c = await joinChat(server.url);
    await eventually(() => b.connected && onlines.length === 2 && roomsSnapshots === 2);
    expect(b.recovered).toBe(true);
    expect(onlines).toEqual([2, 3]);
    expect(m.content).toBe("kept for recovery");
    b.close();
    a.socket.close();
    c.socket.close();
    await server.close();
  });

  it("after a longer outage, history after the last id completes the log exactly", async () => {
    const server = await startServer();
    const a = await joinChat(server.url);
    const b = await joinChat(server.url);
    const first = await sendOk(a.socket, { content: "seen" });
    await eventually(() => b.received.some((m) => m.id === first.id));
    b.socket.close();
    const missed = [];
    for (let i = 0; i < 7; i++) missed.push(await sendOk(a.socket, { content: `gap ${i}` }));
    await sleep(50);
    const back = connect(server.url, b.token);
    await connected(back);
    const lastId = b.received.at(-1)!.id;
    expect((await historyOf(back, { after: lastId })).map((m) => m.id)).toEqual(
      missed.map((m) => m.id),
    );
    back.close();
    a.socket.close();
    await server.close();
  });
});
