// Rooms over real sockets: open and closed rooms, membership shared by every socket of a
// user, and a closed room that an outsider cannot see in any way.
import type { Message, Room } from "../../common/events";
import {
  call,
  callOk,
  connect,
  connected,
  errorCode,
  eventually,
  historyOf,
  joinChat,
  nextEvent,
  recordEvents,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { addDevice } from "../support/identity";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000" });
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

async function createRoom(c: Client, extra: Record<string, unknown> = {}): Promise<Room> {
  const { room } = await callOk<{ room: Room }>(c.socket, "room:create", {
    name: uniqueName("room"),
    kind: "open",
    ...extra,
  });
  return room;
}

const ROOM_EVENTS = ["textmsg", "typing", "room", "room:removed", "read"];

describe("open rooms", () => {
  it("are created with the creator as a member, listed to everyone, announced to everyone", async () => {
    const [a, b] = [await join(), await join()];
    const announced = nextEvent(b.socket, "room");
    const toCreator = nextEvent(a.socket, "room");
    const room = await createRoom(a, { topic: "  all about cats  " });
    // Only the new member's own sockets are told they joined.
    expect((await toCreator).joined).toBe(true);
    expect(room).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      kind: "open",
      topic: "all about cats",
      createdBy: a.user,
      members: 1,
    });
    expect(await announced).toEqual({ room });
    const { rooms } = await callOk<{ rooms: Room[] }>(b.socket, "room:list", {});
    expect(rooms[0]).toMatchObject({ id: "group", name: "Group", createdBy: null });
    expect(rooms.map((r) => r.id)).toContain(room.id);
  });

  it("deliver a message to members only; sending joins first; history is open to anyone", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const room = await createRoom(a);
    const first = await sendOk(a.socket, { content: "members only", room: room.id });
    expect(first.room).toBe(room.id);
    await eventually(() => a.received.some((m) => m.id === first.id));
    await sleep(100);
    expect(b.received.some((m) => m.id === first.id)).toBe(false);
    // Anyone may read an open room's history without joining.
    expect((await historyOf(c.socket, { room: room.id })).map((m) => m.content)).toEqual([
      "members only",
    ]);
    // b sends without joining: joined first, then receives like any member.
    const fromB = await sendOk(b.socket, { content: "hello from b", room: room.id });
    await eventually(() => a.received.some((m) => m.id === fromB.id));
    await eventually(() => b.received.some((m) => m.id === fromB.id));
    const later = await sendOk(a.socket, { content: "b is in now", room: room.id });
    await eventually(() => b.received.some((m) => m.id === later.id));
    expect(c.received.some((m) => m.room === room.id)).toBe(false);
  });

  it("join: every socket of the user is in; leave: every socket is out", async () => {
    const [a, b] = [await join(), await join()];
    const bTab2 = connect(server.url, b.token);
    const tab2: Message[] = [];
    bTab2.on("textmsg", (m) => tab2.push(m));
    await connected(bTab2);
    const room = await createRoom(a);
    const { room: joined } = await callOk<{ room: Room }>(b.socket, "room:join", { room: room.id });
    expect(joined.members).toBe(2);
    const m1 = await sendOk(a.socket, { content: "to both tabs", room: room.id });
    await eventually(() => [b.received, tab2].every((r) => r.some((m) => m.id === m1.id)));

    const removed = nextEvent(bTab2, "room:removed");
    await callOk(b.socket, "room:leave", { room: room.id });
    expect(await removed).toEqual({ room: room.id });
    const m2 = await sendOk(a.socket, { content: "after leave", room: room.id });
    await eventually(() => a.received.some((m) => m.id === m2.id));
    await sleep(100);
    expect([...b.received, ...tab2].some((m) => m.id === m2.id)).toBe(false);
    bTab2.close();
  });

  it("a reconnecting socket is in its rooms again", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a);
    await callOk(b.socket, "room:join", { room: room.id });
    const again = connect(server.url, b.token);
    const got: Message[] = [];
    again.on("textmsg", (m) => got.push(m));
    // Listening before the connect: `rooms` may come in the same read as the connect itself.
    const snapshot = nextEvent(again, "rooms");
    await connected(again);
    await snapshot;
    const m = await sendOk(a.socket, { content: "for the new socket", room: room.id });
    await eventually(() => got.some((x) => x.id === m.id));
    again.close();
  });
});

describe("closed rooms", () => {
  it("are invisible to a non-member: list, history, send, typing, join, read all not_found", async () => {
    const [a, b, outsider] = [await join(), await join(), await join()];
    const seen = recordEvents(outsider.socket, ROOM_EVENTS);
    const room = await createRoom(a, { kind: "closed", members: [b.user.name] });
    expect(room.members).toBe(2);
    const m = await sendOk(a.socket, { content: "secret", room: room.id });
    await eventually(() => b.received.some((x) => x.id === m.id));
    b.socket.emit("typing", { room: room.id });

    const { rooms } = await callOk<{ rooms: Room[] }>(outsider.socket, "room:list", {});
    expect(rooms.some((r) => r.id === room.id)).toBe(false);
    for (const [event, payload] of [
      ["history", { room: room.id }],
      ["textmsg", { content: "let me in", room: room.id }],
      ["typing", { room: room.id }],
      ["room:join", { room: room.id }],
      ["room:add", { room: room.id, name: outsider.user.name }],
      ["room:leave", { room: room.id }],
      ["room:update", { room: room.id, topic: "mine" }],
      ["room:delete", { room: room.id }],
      ["read", { room: room.id, id: m.id }],
    ] as const) {
      expect([event, await errorCode(outsider.socket, event, payload)]).toEqual([
        event,
        "not_found",
      ]);
    }
    // The same answer as for a room that does not exist.
    expect(await errorCode(outsider.socket, "history", { room: "no-such-room" })).toBe("not_found");
    await sleep(150);
    expect(seen).toEqual([]);
    expect(outsider.received).toEqual([]);
    // The server still serves the outsider and everyone else.
    const ok = await sendOk(outsider.socket, { content: "still here" });
    await eventually(() => a.received.some((x) => x.id === ok.id));
  });

  it("room:add by a member makes history readable to the new member", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a, { kind: "closed" });
    const before = await sendOk(a.socket, { content: "said before b came", room: room.id });
    expect(await errorCode(b.socket, "history", { room: room.id })).toBe("not_found");
    const told = nextEvent(b.socket, "room");
    const { room: after } = await callOk<{ room: Room }>(a.socket, "room:add", {
      room: room.id,
      name: b.user.name,
    });
    expect(after.members).toBe(2);
    expect((await told).room.id).toBe(room.id);
    expect((await historyOf(b.socket, { room: room.id })).map((m) => m.id)).toEqual([before.id]);
    const next = await sendOk(a.socket, { content: "welcome", room: room.id });
    await eventually(() => b.received.some((m) => m.id === next.id));
  });

  it("after leaving, the room is not_found for the leaver", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a, { kind: "closed", members: [b.user.name] });
    await callOk(b.socket, "room:leave", { room: room.id });
    expect(await errorCode(b.socket, "history", { room: room.id })).toBe("not_found");
    expect(await errorCode(b.socket, "room:join", { room: room.id })).toBe("not_found");
  });

  it("a non-member may not add people to an open room it can see: forbidden", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const room = await createRoom(a);
    expect(await errorCode(b.socket, "room:add", { room: room.id, name: c.user.name })).toBe(
      "forbidden",
    );
  });
});

describe("managing rooms", () => {
  it("only the creator may rename, re-topic or delete; members are told", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a, { kind: "closed", members: [b.user.name] });
    expect(await errorCode(b.socket, "room:update", { room: room.id, topic: "x" })).toBe(
      "forbidden",
    );
    expect(await errorCode(b.socket, "room:delete", { room: room.id })).toBe("forbidden");
    const told = nextEvent(b.socket, "room", (p) => p.room.topic === "new topic");
    const name = uniqueName("renamed");
    const { room: changed } = await callOk<{ room: Room }>(a.socket, "room:update", {
      room: room.id,
      name,
      topic: "new topic",
    });
    expect(changed).toMatchObject({ name, topic: "new topic" });
    await told;

    await sendOk(a.socket, { content: "soon gone", room: room.id });
    const removed = nextEvent(b.socket, "room:removed");
    await callOk(a.socket, "room:delete", { room: room.id });
    expect(await removed).toEqual({ room: room.id });
    expect(await errorCode(a.socket, "history", { room: room.id })).toBe("not_found");
    // Its messages are erased with it.
    const rows = await server.store.history({ conversation: `r:${room.id}`, limit: 10 });
    expect(rows).toEqual([]);
  });

  it("an admin may rename and delete others' open rooms, but sees no closed room it is not in", async () => {
    const [owner, admin] = [await join(), await join()];
    const res = await fetch(`${server.url}/api/admin`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ code: server.config.adminCode }),
    });
    expect(res.status).toBe(200);
    const adminSocket = connect(server.url, admin.token);
    await connected(adminSocket);
    const open = await createRoom(owner);
    const closed = await createRoom(owner, { kind: "closed" });
    expect(await errorCode(adminSocket, "room:update", { room: open.id, topic: "moderated" })).toBe(
      "ok",
    );
    for (const event of ["room:update", "room:delete", "history", "room:join"]) {
      const payload =
        event === "room:update" ? { room: closed.id, topic: "x" } : { room: closed.id };
      expect([event, await errorCode(adminSocket, event, payload)]).toEqual([event, "not_found"]);
    }
    const removed = nextEvent(owner.socket, "room:removed", (p) => p.room === open.id);
    expect(await errorCode(adminSocket, "room:delete", { room: open.id })).toBe("ok");
    await removed;
    adminSocket.close();
  });

  it("room names are unique like nicknames, and Group is taken", async () => {
    const a = await join();
    const room = await createRoom(a);
    for (const name of [room.name.toUpperCase(), `  ${room.name}  `, "group", "GROUP"]) {
      expect(await errorCode(a.socket, "room:create", { name, kind: "open" })).toBe("name_taken");
    }
  });

  it("bad payloads are invalid, and the server keeps serving", async () => {
    const [a, b] = [await join(), await join()];
    const bad: [string, unknown][] = [
      ["room:create", { name: "", kind: "open" }],
      ["room:create", { name: "x".repeat(41), kind: "open" }],
      ["room:create", { name: "zero\u200bwidth", kind: "open" }],
      ["room:create", { name: "tab\there", kind: "open" }],
      ["room:create", { name: "ok name", kind: "secret" }],
      ["room:create", { name: "ok name", kind: "open", topic: "t".repeat(201) }],
      ["room:create", { name: "ok name", kind: "open", topic: "gnp\u202eexe" }],
      ["room:create", { name: "ok name", kind: "open", topic: "a\u2066b\u2069" }],
      ["room:update", { room: "abc", topic: "\u202aembedded\u202c" }],
      ["room:update", { room: "abc", topic: "zero\u200bwidth" }],
      ["room:create", { name: "ok name", kind: "open", members: "bob" }],
      ["room:create", "not an object"],
      ["room:join", {}],
      ["room:join", { room: 42 }],
      ["room:leave", { room: "group" }],
      ["room:update", { room: "abc" }],
      ["textmsg", { content: "both", room: "group", to: b.user.name }],
      ["history", { room: 7 }],
      ["read", { id: "x".repeat(65) }],
      ["read", {}],
    ];
    for (const [event, payload] of bad) {
      expect([event, payload, await errorCode(a.socket, event, payload)]).toEqual([
        event,
        payload,
        "invalid",
      ]);
    }
    expect(
      await errorCode(a.socket, "room:create", {
        name: uniqueName("r"),
        kind: "closed",
        members: ["nobody-holds-this"],
      }),
    ).toBe("unknown_recipient");
    const m = await sendOk(a.socket, { content: "fine" });
    await eventually(() => b.received.some((x) => x.id === m.id));
  });

  it("creating rooms and changing membership share a limit of 20 a minute", async () => {
    const a = await join();
    const codes: string[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push(
        await errorCode(a.socket, "room:create", { name: uniqueName("lim"), kind: "open" }),
      );
    }
    expect(codes.slice(0, 20).every((c) => c === "ok")).toBe(true);
    expect(codes[20]).toBe("rate_limited");
  });

  it("a user whose session ends leaves its rooms; an empty closed room is deleted", async () => {
    const [a, b] = [await join(), await join()];
    const open = await createRoom(a);
    await callOk(b.socket, "room:join", { room: open.id });
    const closed = await createRoom(b, { kind: "closed" });
    const told = nextEvent(a.socket, "room", (p) => p.room.id === open.id && p.room.members === 1);
    await fetch(`${server.url}/api/session`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${b.token}` },
    });
    await told;
    expect(await server.rooms.isMember(open.id, b.user.id)).toBe(false);
    await eventually(async () => (await server.rooms.get(closed.id)) === null);
  });
});

describe("several devices", () => {
  it("share the user's rooms, messages and read state", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a, { kind: "closed", members: [b.user.name] });
    const m = await sendOk(a.socket, { content: "for every device", room: room.id });
    const phone = await addDevice(server.url, b.token);
    expect(phone.user.id).toBe(b.user.id);
    const socket = connect(server.url, phone.token);
    const snapshot = nextEvent(socket, "rooms");
    const got: Message[] = [];
    socket.on("textmsg", (x) => got.push(x));
    await connected(socket);
    expect((await snapshot).rooms.find((r) => r.id === room.id)).toMatchObject({ unread: 1 });
    expect((await historyOf(socket, { room: room.id })).map((x) => x.id)).toEqual([m.id]);
    const next = await sendOk(a.socket, { content: "live to the phone", room: room.id });
    await eventually(() => got.some((x) => x.id === next.id));
    // Read on the phone: the laptop hears it.
    const heard = nextEvent(b.socket, "read", (e) => e.room === room.id);
    await callOk(socket, "read", { room: room.id, id: next.id });
    expect((await heard).id).toBe(next.id);
    socket.close();
  });
});

describe("group room as a room", () => {
  it("textmsg and history with room 'group' are the group room", async () => {
    const [a, b] = [await join(), await join()];
    const m = await sendOk(a.socket, { content: "via room id", room: "group" });
    expect(m.room).toBe("group");
    await eventually(() => b.received.some((x) => x.id === m.id));
    const viaRoom = await historyOf(b.socket, { room: "group", limit: 5 });
    const plain = await historyOf(b.socket, { limit: 5 });
    expect(viaRoom).toEqual(plain);
    const { room } = await callOk<{ room: Room }>(a.socket, "room:join", { room: "group" });
    expect(room.id).toBe("group");
    expect(await call(a.socket, "room:delete", { room: "group" })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
  });
});
