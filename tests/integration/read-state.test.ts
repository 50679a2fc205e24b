// Read state, the `rooms` snapshot, mentions and typing per conversation, over real sockets.
import type { ReadEvent, Room, RoomsPayload, TypingEvent } from "../../common/events";
import {
  callOk,
  connect,
  connected,
  errorCode,
  eventually,
  login,
  nextEvent,
  sendOk,
  sleep,
  uniqueName,
  type Client,
  type ClientSocket,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000" });
});
afterAll(() => server.close());

const sockets: ClientSocket[] = [];
/** Logs in and connects; resolves once the first `rooms` snapshot has set the read marks. */
async function join(name?: string): Promise<Client> {
  const { token, user } = await login(server.url, name);
  const socket = connect(server.url, token);
  sockets.push(socket);
  const received: Client["received"] = [];
  socket.on("textmsg", (m) => received.push(m));
  const first = nextEvent(socket, "rooms");
  await connected(socket);
  await first;
  return { socket, user, token, received };
}
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A new socket for `token`, with the `rooms` snapshot it gets after `online`. */
async function snapshotOf(token: string): Promise<{ socket: ClientSocket; rooms: RoomsPayload }> {
  const socket = connect(server.url, token);
  sockets.push(socket);
  const order: string[] = [];
  socket.on("online", () => order.push("online"));
  const rooms = nextEvent(socket, "rooms");
  socket.on("rooms", () => order.push("rooms"));
  await connected(socket);
  const payload = await rooms;
  expect(order).toEqual(["online", "rooms"]);
  return { socket, rooms: payload };
}

const closedRoom = async (c: Client, members: string[] = []) =>
  (
    await callOk<{ room: Room }>(c.socket, "room:create", {
      name: uniqueName("room"),
      kind: "closed",
      members,
    })
  ).room;

describe("the rooms snapshot", () => {
  it("comes right after online: group first, then the user's rooms, with read state and levels", async () => {
    const [a, b] = [await join(), await join()];
    const room = await closedRoom(a, [b.user.name]);
    await sendOk(a.socket, { content: "one", room: room.id });
    await sendOk(a.socket, { content: "two", room: room.id });
    await sendOk(a.socket, { content: "group one" });
    const { rooms } = await snapshotOf(b.token);
    expect(rooms.rooms[0]).toMatchObject({ id: "group", name: "Group", level: "mentions" });
    expect(rooms.rooms[0].unread).toBeGreaterThanOrEqual(1);
    const mine = rooms.rooms.find((r) => r.id === room.id);
    expect(mine).toMatchObject({ kind: "closed", unread: 2, mentions: 0, level: "all" });
    expect(mine?.lastRead).toMatch(/^\d{16}$/);
    // a's own messages are never unread for a.
    const forA = await snapshotOf(a.token);
    expect(forA.rooms.rooms.find((r) => r.id === room.id)?.unread).toBe(0);
  });

  it("lists private conversations with users who still hold their nicknames, even offline", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    await sendOk(b.socket, { content: "hi a", to: a.user.name });
    const last = await sendOk(b.socket, { content: "still there?", to: a.user.name });
    await sendOk(c.socket, { content: "from c", to: a.user.name });
    b.socket.close(); // offline, but b's session still holds the nickname
    await fetch(`${server.url}/api/session`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${c.token}` },
    }); // c is gone: its nickname is released
    const { rooms } = await snapshotOf(a.token);
    expect(rooms.directs).toEqual([
      { user: b.user, unread: 2, lastRead: "0000000000000000", last, level: "all" },
    ]);
  });
});

describe("read", () => {
  it("on one socket clears unread on the user's other sockets and on a fresh connect", async () => {
    const [a, b] = [await join(), await join()];
    const room = await closedRoom(a, [b.user.name]);
    const m1 = await sendOk(a.socket, { content: "r1", room: room.id });
    const m2 = await sendOk(a.socket, { content: "r2", room: room.id });
    const tab2 = connect(server.url, b.token);
    sockets.push(tab2);
    await connected(tab2);
    const synced = nextEvent(tab2, "read", (e: ReadEvent) => e.room === room.id);
    await callOk(b.socket, "read", { room: room.id, id: m1.id });
    expect(await synced).toEqual({ room: room.id, id: m1.id });
    let snap = (await snapshotOf(b.token)).rooms.rooms.find((r) => r.id === room.id);
    expect(snap).toMatchObject({ unread: 1, lastRead: m1.id });
    // Never backwards; an id past the newest stops at the newest.
    await callOk(b.socket, "read", { room: room.id, id: "9999999999999999" });
    await callOk(b.socket, "read", { room: room.id, id: m1.id });
    snap = (await snapshotOf(b.token)).rooms.rooms.find((r) => r.id === room.id);
    expect(snap).toMatchObject({ unread: 0, lastRead: m2.id });
    const m3 = await sendOk(a.socket, { content: "r3", room: room.id });
    snap = (await snapshotOf(b.token)).rooms.rooms.find((r) => r.id === room.id);
    expect(snap).toMatchObject({ unread: 1, lastRead: m2.id });
    expect(m3.id > m2.id).toBe(true);
  });

  it("works for the group room and private conversations", async () => {
    const [a, b] = [await join(), await join()];
    const g = await sendOk(a.socket, { content: "group msg" });
    const p = await sendOk(a.socket, { content: "private msg", to: b.user.name });
    const groupRead = nextEvent(b.socket, "read", (e: ReadEvent) => e.room === "group");
    await callOk(b.socket, "read", { id: g.id });
    expect(await groupRead).toEqual({ room: "group", id: g.id });
    const privateRead = nextEvent(b.socket, "read", (e: ReadEvent) => e.with !== undefined);
    await callOk(b.socket, "read", { with: a.user.name, id: p.id });
    expect(await privateRead).toEqual({ with: a.user, id: p.id });
    const { rooms } = await snapshotOf(b.token);
    expect(rooms.rooms[0].unread).toBe(0);
    expect(rooms.directs.find((d) => d.user.id === a.user.id)).toMatchObject({
      unread: 0,
      lastRead: p.id,
    });
    expect(await errorCode(b.socket, "read", { with: "nobody-holds-this", id: p.id })).toBe(
      "unknown_recipient",
    );
  });
});

describe("mentions", () => {
  it("name users who can read the conversation, by the nickname rule, and are counted", async () => {
    const [a, b, outsider] = [
      await join(uniqueName("Ann")),
      await join(uniqueName("Bo b")),
      await join(uniqueName("Out")),
    ];
    const room = await closedRoom(a, [b.user.name]);
    const m = await sendOk(a.socket, {
      content: `hey @${b.user.name.toUpperCase()}, and @${outsider.user.name}!`,
      room: room.id,
    });
    expect(m.mentions).toEqual([b.user]);
    // Followed by a letter or digit: not a mention.
    const none = await sendOk(a.socket, { content: `@${b.user.name}x hi`, room: room.id });
    expect(none.mentions).toBeUndefined();
    const g = await sendOk(a.socket, { content: `@${outsider.user.name} in the group` });
    expect(g.mentions).toEqual([outsider.user]);
    const bSnap = (await snapshotOf(b.token)).rooms.rooms.find((r) => r.id === room.id);
    expect(bSnap?.mentions).toBe(1);
    const outSnap = (await snapshotOf(outsider.token)).rooms;
    expect(outSnap.rooms.some((r) => r.id === room.id)).toBe(false);
    expect(outSnap.rooms[0].mentions).toBe(1);
  });
});

describe("typing per conversation", () => {
  it("typing to a peer never hides typing in the group a moment later; rooms reach members only", async () => {
    const [a, b, c] = [await join(), await join(), await join()];
    const room = await closedRoom(a, [b.user.name]);
    const toB: TypingEvent[] = [];
    const toC: TypingEvent[] = [];
    b.socket.on("typing", (e) => toB.push(e));
    c.socket.on("typing", (e) => toC.push(e));
    a.socket.emit("typing", { to: b.user.name });
    a.socket.emit("typing", {});
    a.socket.emit("typing", { room: room.id });
    await eventually(() => toB.length >= 3);
    expect(toB).toEqual(
      expect.arrayContaining([
        { from: a.user, to: b.user },
        { from: a.user },
        { from: a.user, room: room.id },
      ]),
    );
    await sleep(100);
    expect(toC).toEqual([{ from: a.user }]);
    // The throttle is per user and conversation: a second tab does not double it.
    const aTab2 = connect(server.url, a.token);
    sockets.push(aTab2);
    await connected(aTab2);
    aTab2.emit("typing", {});
    await sleep(100);
    expect(toC).toHaveLength(1);
  });
});
