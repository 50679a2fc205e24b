import type { Message } from "../../common/events";
import {
  connect,
  connected,
  eventually,
  joinChat,
  login,
  send,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const clients: Client[] = [];
async function join(name?: string): Promise<Client> {
  const c = await joinChat(server.url, name);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.close();
});

const contents = (ms: Message[]) => ms.map((m) => m.content);

describe("socket handshake", () => {
  it("refuses a missing or wrong token with unauthorized", async () => {
    for (const token of [undefined, "wrong", ""]) {
      const socket = connect(server.url, token);
      await expect(connected(socket)).rejects.toThrow("unauthorized");
      socket.close();
    }
  });

  it("refuses a foreign Origin even with a valid token (cross-site WebSocket hijacking)", async () => {
    const { token } = await login(server.url);
    const evil = connect(server.url, token, { extraHeaders: { origin: "https://evil.example" } });
    await expect(connected(evil)).rejects.toThrow();
    evil.close();
    const own = connect(server.url, token, { extraHeaders: { origin: server.url } });
    await connected(own);
    const localhost = connect(server.url, token, {
      extraHeaders: { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` },
    });
    await connected(localhost);
    own.close();
    localhost.close();
  });

  it("refuses a handshake with Sec-Fetch-Site: cross-site, even from its own Origin", async () => {
    const { token } = await login(server.url);
    const evil = connect(server.url, token, {
      extraHeaders: { origin: server.url, "sec-fetch-site": "cross-site" },
    });
    await expect(connected(evil)).rejects.toThrow("forbidden_origin");
    evil.close();
    const own = connect(server.url, token, {
      extraHeaders: { origin: server.url, "sec-fetch-site": "same-origin" },
    });
    await connected(own);
    own.close();
  });

  it("accepts origins listed in ALLOWED_ORIGINS", async () => {
    const other = await startServer({ ALLOWED_ORIGINS: "https://chat.example.org" });
    const { token } = await login(other.url);
    const s = connect(other.url, token, { extraHeaders: { origin: "https://chat.example.org" } });
    await connected(s);
    s.close();
    await other.close();
  });
});

describe("group messages", () => {
  it("reach every socket of every user, the sender's included, stamped from the session", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const aTab2 = connect(server.url, a.token);
    const tab2: Message[] = [];
    aTab2.on("textmsg", (m) => tab2.push(m));
    await connected(aTab2);
    const ack = await send(a.socket, {
      content: "  hello all  ",
      name: "mallory",
      avatar: "lion",
      from: { id: "x", name: "y", avatar: "z" },
    });
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    const m = ack.message;
    expect(m).toEqual({
      id: expect.any(String),
      from: a.user,
      content: "hello all",
      ts: expect.any(Number),
      room: "group",
    });
    expect(Math.abs(m.ts - Date.now())).toBeLessThan(5000);
    for (const r of [a.received, b.received, c.received, tab2]) {
      await eventually(() => r.some((x) => x.id === m.id));
      expect(r.find((x) => x.id === m.id)).toEqual(m);
    }
    aTab2.close();
  });

  it("keep markup as text", async () => {
    const a = await join();
    const m = await sendOk(a.socket, { content: "<img src=x onerror=alert(1)>" });
    expect(m.content).toBe("<img src=x onerror=alert(1)>");
  });

  it("arrive in id order, and ids sort as strings", async () => {
    const [a, b] = [await join(), await join()];
    const acks = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sendOk(a.socket, { content: `n${i}` })),
    );
    await eventually(() => b.received.length >= 10);
    const ids = b.received.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(acks.map((m) => m.id)).size).toBe(10);
  });
});

describe("private messages", () => {
  it("reach the sender's and the recipient's sockets, nobody else", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const bTab2 = connect(server.url, b.token);
    const tab2: Message[] = [];
    bTab2.on("textmsg", (m) => tab2.push(m));
    await connected(bTab2);
    const m = await sendOk(a.socket, { content: "psst", to: b.user.name.toUpperCase() });
    expect(m.to).toEqual(b.user);
    expect(m.from).toEqual(a.user);
    await eventually(() =>
      [a.received, b.received, tab2].every((r) => r.some((x) => x.id === m.id)),
    );
    await sleep(100);
    expect(c.received.some((x) => x.id === m.id)).toBe(false);
    bTab2.close();
  });

  it("to a nickname nobody holds: unknown_recipient", async () => {
    const a = await join();
    for (const to of ["nobody-here", ""]) {
      const ack = await send(a.socket, { content: "hi", to });
      expect(ack).toEqual({
        ok: false,
        error: { code: "unknown_recipient", message: expect.any(String) },
      });
    }
  });
});

describe("cid makes a resend safe", () => {
  it("a second textmsg with the same cid is not delivered again; its ack carries the first message", async () => {
    const [a, b] = [await join(), await join()];
    const first = await sendOk(a.socket, { content: "once", cid: "c-1" });
    const again = await sendOk(a.socket, { content: "once (retry)", cid: "c-1" });
    expect(again).toEqual(first);
    const other = await sendOk(b.socket, { content: "b's", cid: "c-1" });
    expect(other.id).not.toBe(first.id);
    await sleep(150);
    expect(b.received.filter((m) => m.id === first.id)).toHaveLength(1);
  });

  it("holds across sockets of the same user", async () => {
    const a = await join();
    const tab2 = connect(server.url, a.token);
    await connected(tab2);
    const [x, y] = await Promise.all([
      sendOk(a.socket, { content: "dup", cid: "same" }),
      sendOk(tab2, { content: "dup", cid: "same" }),
    ]);
    expect(x.id).toBe(y.id);
    tab2.close();
  });
});

describe("bad input", () => {
  const bad: [string, unknown][] = [
    ["a string payload", "hello"],
    ["a number", 42],
    ["null", null],
    ["an array", [{ content: "x" }]],
    ["no content", {}],
    ["content not a string", { content: 5 }],
    ["empty content", { content: "" }],
    ["blank content", { content: " \n\t " }],
    ["content over 2000 characters", { content: "x".repeat(2001) }],
    ["to not a string", { content: "x", to: 3 }],
    ["to null", { content: "x", to: null }],
    ["cid empty", { content: "x", cid: "" }],
    ["cid too long", { content: "x", cid: "c".repeat(65) }],
    ["cid not a string", { content: "x", cid: 1 }],
  ];
  it.each(bad)("textmsg with %s: invalid, delivered to nobody", async (_label, payload) => {
    const [a, b] = [await join(), await join()];
    const ack = await send(a.socket, payload);
    expect(ack).toEqual({ ok: false, error: { code: "invalid", message: expect.any(String) } });
    const ok = await sendOk(b.socket, { content: "still here" });
    await eventually(() => a.received.some((m) => m.id === ok.id));
    expect(a.received.map((m) => m.content)).toEqual(["still here"]);
  });

  it("2000 code points are fine even when they take 4000 UTF-16 units", async () => {
    const a = await join();
    const m = await sendOk(a.socket, { content: "😀".repeat(2000) });
    expect([...m.content]).toHaveLength(2000);
    const ack = await send(a.socket, { content: "😀".repeat(2001) });
    expect(ack.ok).toBe(false);
  });

  it("an oversized payload (> 16 KiB) drops only its own connection", async () => {
    const [a, b] = [await join(), await join()];
    const dropped = new Promise((r) => a.socket.once("disconnect", r));
    a.socket.emit("textmsg", { content: "y".repeat(20_000) }, () => {});
    await dropped;
    const m = await sendOk(b.socket, { content: "after the flood" });
    expect(m.content).toBe("after the flood");
    expect(b.received.some((x) => x.content.startsWith("yyy"))).toBe(false);
  });

  it("unknown events and events without an ack are ignored", async () => {
    const [a, b] = [await join(), await join()];
    (a.socket.emit as (ev: string, ...args: unknown[]) => void)("nonsense", { x: 1 });
    (a.socket.emit as (ev: string, ...args: unknown[]) => void)("textmsg", 12);
    (a.socket.emit as (ev: string, ...args: unknown[]) => void)("history");
    a.socket.emit("typing", "garbage" as never);
    const m = await sendOk(a.socket, { content: "fine" });
    await eventually(() => b.received.some((x) => x.id === m.id));
    expect(a.socket.connected).toBe(true);
  });

  it("a textmsg without an ack callback is still delivered", async () => {
    const [a, b] = [await join(), await join()];
    (a.socket.emit as (ev: string, p: unknown) => void)("textmsg", { content: "no ack" });
    await eventually(() => b.received.some((m) => m.content === "no ack"));
  });
});

describe("rate limit", () => {
  it("accepts at most 20 in 10 s across all of a user's sockets, then rate_limited; others unaffected", async () => {
    const [a, b] = [await join(uniqueName("spam")), await join()];
    const tab2 = connect(server.url, a.token);
    await connected(tab2);
    const acks = await Promise.all(
      Array.from({ length: 25 }, (_, i) => send(i % 2 ? tab2 : a.socket, { content: `m${i}` })),
    );
    expect(acks.filter((x) => x.ok)).toHaveLength(20);
    const refused = acks.filter((x) => !x.ok);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(!r.ok && r.error.code).toBe("rate_limited");
    expect((await send(b.socket, { content: "unaffected" })).ok).toBe(true);
    tab2.close();
  });

  it("frees slots as the window slides, with a configurable limit", async () => {
    const fast = await startServer({ RATE_LIMIT_MESSAGES: "3", RATE_LIMIT_WINDOW_MS: "300" });
    const a = await joinChat(fast.url);
    for (let i = 0; i < 3; i++) expect((await send(a.socket, { content: `${i}` })).ok).toBe(true);
    expect((await send(a.socket, { content: "x" })).ok).toBe(false);
    await sleep(350);
    expect((await send(a.socket, { content: "y" })).ok).toBe(true);
    a.socket.close();
    await fast.close();
  });

  it("does not count duplicates of an earlier cid", async () => {
    const fast = await startServer({ RATE_LIMIT_MESSAGES: "2" });
    const a = await joinChat(fast.url);
    await sendOk(a.socket, { content: "1", cid: "k" });
    for (let i = 0; i < 5; i++) await sendOk(a.socket, { content: "1", cid: "k" });
    expect((await send(a.socket, { content: "2" })).ok).toBe(true);
    a.socket.close();
    await fast.close();
  });
});

describe("typing", () => {
  it("group typing reaches others but none of the sender's sockets", async () => {
    const [a, b] = [await join(), await join()];
    const tab2 = connect(server.url, a.token);
    await connected(tab2);
    let ownTab = 0;
    tab2.on("typing", () => ownTab++);
    const seen = new Promise((r) => b.socket.once("typing", r));
    a.socket.emit("typing", {});
    expect(await seen).toEqual({ from: a.user });
    await sleep(100);
    expect(ownTab).toBe(0);
    tab2.close();
  });

  it("private typing reaches only the peer", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    let cSaw = 0;
    c.socket.on("typing", () => cSaw++);
    const seen = new Promise((r) => b.socket.once("typing", r));
    a.socket.emit("typing", { to: b.user.name });
    expect(await seen).toEqual({ from: a.user, to: b.user });
    await sleep(100);
    expect(cSaw).toBe(0);
  });
});

describe("contents of a log", () => {
  it("a reader of history sees what was sent, in order", async () => {
    const a = await join();
    await sendOk(a.socket, { content: "x1" });
    await sendOk(a.socket, { content: "x2" });
    const ack = await send(a.socket, { limit: 2 }, "history");
    expect(ack.ok && contents(ack.messages)).toEqual(["x1", "x2"]);
  });
});
