// Reply, edit, delete and react over real sockets: who may, and who hears about it.
import fs from "node:fs";
import path from "node:path";
import type { Message, Room } from "../../common/events";
import {
  callOk,
  connect,
  connected,
  errorCode,
  historyOf,
  joinChat,
  nextEvent,
  recordEvents,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000", ADMIN_CODE: "let-me-admin" });
});
afterAll(() => server.close());

const clients: Client[] = [];
async function join(): Promise<Client> {
  const c = await joinChat(server.url);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.close();
});

const edit = (c: Client, id: string, content: string) =>
  callOk<{ message: Message }>(c.socket, "message:edit", { id, content });
const react = (c: Client, id: string, emoji: string) =>
  callOk<{ message: Message }>(c.socket, "message:react", { id, emoji });

async function closedRoom(owner: Client, members: Client[]): Promise<Room> {
  const { room } = await callOk<{ room: Room }>(owner.socket, "room:create", {
    name: uniqueName("room"),
    kind: "closed",
    members: members.map((m) => m.user.name),
  });
  return room;
}

describe("replyTo", () => {
  it("quotes the original as it is now, and must be in the same conversation", async () => {
    const [a, b] = [await join(), await join()];
    const original = await sendOk(a.socket, { content: "x".repeat(300) });
    const reply = await sendOk(b.socket, { content: "answer", replyTo: original.id });
    expect(reply.replyTo).toEqual({ id: original.id, from: a.user, content: "x".repeat(200) });
    await edit(a, original.id, "fixed");
    const [seen] = (await historyOf(b.socket, { limit: 5 })).filter((m) => m.id === reply.id);
    expect(seen.replyTo).toEqual({ id: original.id, from: a.user, content: "fixed" });
    const secret = await sendOk(a.socket, { content: "private", to: b.user.name });
    expect(await errorCode(b.socket, "textmsg", { content: "x", replyTo: secret.id })).toBe(
      "not_found",
    );
    expect(await errorCode(b.socket, "textmsg", { content: "x", replyTo: "99999999" })).toBe(
      "not_found",
    );
  });
});

describe("edit and delete", () => {
  it("only the author edits; the update reaches the original audience", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const m = await sendOk(a.socket, { content: "tpyo" });
    const seen = [b, c].map((x) => nextEvent(x.socket, "message:update", (u) => u.id === m.id));
    const { message } = await edit(a, m.id, "typo fixed");
    expect(message).toMatchObject({
      id: m.id,
      content: "typo fixed",
      editedAt: expect.any(Number),
    });
    for (const u of await Promise.all(seen)) expect(u).toEqual(message);
    expect(await errorCode(b.socket, "message:edit", { id: m.id, content: "mine" })).toBe(
      "forbidden",
    );
    expect(await errorCode(b.socket, "message:delete", { id: m.id })).toBe("forbidden");
  });

  it("a private edit never reaches a third user; outsiders of a closed room get not_found", async () => {
    const [a, b, outsider] = [await join(), await join(), await join()];
    const seen = recordEvents(outsider.socket, ["message:update", "textmsg"]);
    const p = await sendOk(a.socket, { content: "between us", to: b.user.name });
    const toB = nextEvent(b.socket, "message:update", (u) => u.id === p.id);
    await edit(a, p.id, "between us, edited");
    await toB;
    const room = await closedRoom(a, [b]);
    const r = await sendOk(a.socket, { content: "room secret", room: room.id });
    const reacted = nextEvent(b.socket, "message:update", (u) => u.id === r.id);
    await react(b, r.id, "👍");
    await reacted;
    for (const [event, payload] of [
      ["message:edit", { id: r.id, content: "x" }],
      ["message:delete", { id: r.id }],
      ["message:react", { id: r.id, emoji: "👍" }],
      ["message:edit", { id: p.id, content: "x" }],
      ["message:react", { id: p.id, emoji: "👍" }],
      ["message:delete", { id: "12345678" }],
    ] as const) {
      expect([event, await errorCode(outsider.socket, event, payload)]).toEqual([
        event,
        "not_found",
      ]);
    }
    await sleep(150);
    expect(seen.filter((e) => e.event === "message:update")).toEqual([]);
    expect(seen.some((e) => (e.payload as Message).id === r.id)).toBe(false);
  });

  it("an edit replaces the text everywhere: history, search, the database file", async () => {
    const a = await join();
    const m = await sendOk(a.socket, { content: "oldsecretxyz" });
    await edit(a, m.id, "newtextxyz");
    expect((await historyOf(a.socket, { limit: 5 })).find((x) => x.id === m.id)?.content).toBe(
      "newtextxyz",
    );
    const search = (q: string) =>
      callOk<{ messages: Message[] }>(a.socket, "search", { q }).then((r) => r.messages);
    expect((await search("newtext")).map((x) => x.id)).toEqual([m.id]);
    expect(await search("oldsecret")).toEqual([]);
    for (const f of fs.readdirSync(server.dataDir).filter((x) => x.startsWith("chat.db"))) {
      expect(fs.readFileSync(path.join(server.dataDir, f)).includes("oldsecretxyz")).toBe(false);
    }
  });

  it("a delete erases text, reactions and mentions: only id, author and time remain", async () => {
    const [a, b] = [await join(), await join()];
    const m = await sendOk(a.socket, { content: `forget this @${b.user.name} secretword` });
    await react(b, m.id, "🎉");
    const told = nextEvent(b.socket, "message:update", (u) => u.id === m.id && !!u.deleted);
    const { message } = await callOk<{ message: Message }>(a.socket, "message:delete", {
      id: m.id,
    });
    expect(message).toEqual({
      id: m.id,
      from: a.user,
      ts: m.ts,
      content: "",
      room: "group",
      deleted: true,
    });
    expect(await told).toEqual(message);
    expect((await historyOf(b.socket, { limit: 10 })).find((x) => x.id === m.id)).toEqual(message);
    expect(await errorCode(a.socket, "message:edit", { id: m.id, content: "back" })).toBe(
      "forbidden",
    );
    // Gone from the database file itself, write-ahead log included, and from search.
    const files = fs.readdirSync(server.dataDir).filter((f) => f.startsWith("chat.db"));
    for (const f of files) {
      expect(fs.readFileSync(path.join(server.dataDir, f)).includes("secretword")).toBe(false);
    }
    const found = await callOk<{ messages: Message[] }>(a.socket, "search", { q: "secretword" });
    expect(found.messages).toEqual([]);
  });

  it("an admin deletes others' messages in the group room, not in closed rooms it is not in", async () => {
    const [a, admin] = [await join(), await join()];
    const res = await fetch(`${server.url}/api/admin`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ code: "let-me-admin" }),
    });
    expect(res.status).toBe(200);
    const adminSocket = connect(server.url, admin.token);
    await connected(adminSocket);
    const g = await sendOk(a.socket, { content: "spam" });
    expect(await errorCode(adminSocket, "message:delete", { id: g.id })).toBe("ok");
    expect(await errorCode(adminSocket, "message:edit", { id: g.id, content: "x" })).toBe(
      "forbidden",
    );
    const room = await closedRoom(a, []);
    const r = await sendOk(a.socket, { content: "closed", room: room.id });
    expect(await errorCode(adminSocket, "message:delete", { id: r.id })).toBe("not_found");
    expect(await errorCode(adminSocket, "history", { room: room.id })).toBe("not_found");
    adminSocket.close();
  });
});

describe("reactions", () => {
  it("toggle, keep order of first use, at most 20 different emoji, one RGI emoji each", async () => {
    const [a, b] = [await join(), await join()];
    const m = await sendOk(a.socket, { content: "react to me" });
    await react(a, m.id, "👍");
    await react(b, m.id, "❤️");
    let { message } = await react(b, m.id, "👍");
    expect(message.reactions).toEqual([
      { emoji: "👍", users: [a.user, b.user] },
      { emoji: "❤️", users: [b.user] },
    ]);
    expect((await react(a, m.id, "👍")).message.reactions?.[0].users).toEqual([b.user]);
    ({ message } = await react(b, m.id, "👍"));
    expect(message.reactions).toEqual([{ emoji: "❤️", users: [b.user] }]);
    for (const emoji of ["a", "👍👍", "", ":)", "👍 "]) {
      expect(await errorCode(a.socket, "message:react", { id: m.id, emoji })).toBe("invalid");
    }
    const many = [
      "😀",
      "😁",
      "😂",
      "🤣",
      "😃",
      "😄",
      "😅",
      "😆",
      "😉",
      "😊",
      "😋",
      "😎",
      "😍",
      "😘",
      "🥰",
      "😗",
      "😙",
      "🥲",
      "😚",
    ];
    for (const e of many) await react(a, m.id, e);
    expect(await errorCode(a.socket, "message:react", { id: m.id, emoji: "🤔" })).toBe("invalid");
    expect(await errorCode(a.socket, "message:react", { id: m.id, emoji: "😀" })).toBe("ok");
  });

  it("are limited to 60 per 10 s per user", async () => {
    const a = await join();
    const m = await sendOk(a.socket, { content: "flood" });
    const codes: string[] = [];
    for (let i = 0; i < 61; i++) {
      codes.push(await errorCode(a.socket, "message:react", { id: m.id, emoji: "👍" }));
    }
    expect(codes.slice(0, 60).every((c) => c === "ok")).toBe(true);
    expect(codes[60]).toBe("rate_limited");
  });
});

describe("the message budget", () => {
  it("edits and deletes take slots shared with textmsg; other users are still served", async () => {
    const small = await startServer({ RATE_LIMIT_MESSAGES: "4", RATE_LIMIT_WINDOW_MS: "60000" });
    const [a, b] = [await joinChat(small.url), await joinChat(small.url)];
    const first = await sendOk(a.socket, { content: "one" });
    const second = await sendOk(a.socket, { content: "two" });
    await callOk(a.socket, "message:edit", { id: first.id, content: "one, fixed" });
    await callOk(a.socket, "message:delete", { id: second.id });
    // Four slots used: a fifth of any kind is refused, and changes nothing.
    expect(await errorCode(a.socket, "message:edit", { id: first.id, content: "again" })).toBe(
      "rate_limited",
    );
    expect(await errorCode(a.socket, "message:delete", { id: first.id })).toBe("rate_limited");
    expect(await errorCode(a.socket, "textmsg", { content: "three" })).toBe("rate_limited");
    const [kept] = (await historyOf(b.socket, { limit: 5 })).filter((m) => m.id === first.id);
    expect(kept).toMatchObject({ content: "one, fixed" });
    expect(kept.deleted).toBeUndefined();
    // Reactions have their own budget; another user has all of theirs.
    await callOk(a.socket, "message:react", { id: first.id, emoji: "👍" });
    const mine = await sendOk(b.socket, { content: "bob speaks" });
    await callOk(b.socket, "message:edit", { id: mine.id, content: "bob edits" });
    await callOk(b.socket, "message:delete", { id: mine.id });
    a.socket.close();
    b.socket.close();
    await small.close();
  });
});

describe("reconnecting", () => {
  it("sees edits, deletes and reactions made while away in history", async () => {
    const [a, b] = [await join(), await join()];
    const [m1, m2, m3] = [
      await sendOk(a.socket, { content: "one" }),
      await sendOk(a.socket, { content: "two" }),
      await sendOk(a.socket, { content: "three" }),
    ];
    b.socket.close();
    await edit(a, m1.id, "one, edited");
    await callOk(a.socket, "message:delete", { id: m2.id });
    await react(a, m3.id, "🔥");
    const again = connect(server.url, b.token);
    await connected(again);
    const byId = new Map([m1, m2, m3].map((m) => [m.id, m]));
    const now = (await historyOf(again, { limit: 50 })).filter((m) => byId.has(m.id));
    expect(now.map((m) => [m.content, !!m.deleted, m.reactions?.[0]?.emoji])).toEqual([
      ["one, edited", false, undefined],
      ["", true, undefined],
      ["three", false, "🔥"],
    ]);
    again.close();
  });
});
