// `room:members` (an extension, docs/protocol.md): who is in a conversation, for "@"
// autocomplete. Members of a room by nickname, the users online for the group room, and
// nothing at all for whoever may not read the room.
import type { Room, User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import {
  call,
  callOk,
  errorCode,
  joinChat,
  recordEvents,
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

async function createRoom(c: Client, extra: Record<string, unknown>): Promise<Room> {
  const { room } = await callOk<{ room: Room }>(c.socket, "room:create", {
    name: uniqueName("room"),
    kind: "closed",
    ...extra,
  });
  return room;
}

const membersOf = async (c: Client, room: string) =>
  (await callOk<{ members: User[] }>(c.socket, "room:members", { room })).members;
const plain = ({ id, name, avatar }: User) => ({ id, name, avatar });

describe("room:members", () => {
  it("lists a closed room's members by nickname, as they change", async () => {
    const [zed, amy, mia] = [
      await join(uniqueName("Zed")),
      await join(uniqueName("amy")),
      await join(uniqueName("Mia")),
    ];
    const room = await createRoom(zed, { members: [amy.user.name] });
    expect(await membersOf(zed, room.id)).toEqual([plain(amy.user), plain(zed.user)]);
    // Every member sees the same list.
    expect(await membersOf(amy, room.id)).toEqual([plain(amy.user), plain(zed.user)]);
    await callOk(zed.socket, "room:add", { room: room.id, name: mia.user.name });
    expect(await membersOf(mia, room.id)).toEqual(
      [mia, amy, zed]
        .map((c) => plain(c.user))
        .sort((a, b) => (nicknameKey(a.name) < nicknameKey(b.name) ? -1 : 1)),
    );
    await callOk(amy.socket, "room:leave", { room: room.id });
    expect((await membersOf(zed, room.id)).map((u) => u.id)).toEqual([mia.user.id, zed.user.id]);
  });

  it("an open room's members are listed to anyone, member or not", async () => {
    const [owner, visitor] = [await join(), await join()];
    const room = await createRoom(owner, { kind: "open" });
    expect(await membersOf(visitor, room.id)).toEqual([plain(owner.user)]);
  });

  it("for the group room: the users online, by nickname", async () => {
    const [a, b] = [await join(uniqueName("Yan")), await join(uniqueName("bea"))];
    const members = await membersOf(a, "group");
    const ids = members.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([a.user.id, b.user.id]));
    const keys = members.map((u) => nicknameKey(u.name));
    expect(keys).toEqual([...keys].sort());
    b.socket.close();
    await sleep(100);
    expect((await membersOf(a, "group")).map((u) => u.id)).not.toContain(b.user.id);
  });

  it("an outsider of a closed room gets not_found, exactly as for no room, and learns nothing", async () => {
    const [a, b, outsider] = [await join(), await join(), await join()];
    const room = await createRoom(a, { members: [b.user.name] });
    const seen = recordEvents(outsider.socket, ["room", "room:removed", "textmsg"]);
    const answer = await call(outsider.socket, "room:members", { room: room.id });
    const none = await call(outsider.socket, "room:members", { room: "no-such-room" });
    expect(answer).toEqual({
      ok: false,
      error: { code: "not_found", message: expect.any(String) },
    });
    expect(answer).toEqual(none);
    expect(JSON.stringify(answer)).not.toContain(a.user.name);
    expect(JSON.stringify(answer)).not.toContain(b.user.name);
    // A member leaving changes nothing for the outsider either.
    await callOk(b.socket, "room:leave", { room: room.id });
    expect(await errorCode(outsider.socket, "room:members", { room: room.id })).toBe("not_found");
    await sleep(100);
    expect(seen).toEqual([]);
    // b left: b is now an outsider too.
    expect(await errorCode(b.socket, "room:members", { room: room.id })).toBe("not_found");
  });

  it("a bad shape is invalid, and the server still serves everyone after", async () => {
    const [a, b] = [await join(), await join()];
    const room = await createRoom(a, { members: [b.user.name] });
    for (const payload of [
      undefined,
      null,
      {},
      "group",
      { room: 5 },
      { room: "" },
      { room: null },
      { room: "x".repeat(65) },
      [room.id],
    ]) {
      expect([payload, await errorCode(a.socket, "room:members", payload)]).toEqual([
        payload,
        "invalid",
      ]);
    }
    expect(await errorCode(a.socket, "room:members", { room: room.id })).toBe("ok");
    expect((await membersOf(b, room.id)).map((u) => u.id).sort()).toEqual(
      [a.user.id, b.user.id].sort(),
    );
  });

  it("shares the read budget with history and search: rate_limited, others untouched", async () => {
    const [flooder, bystander] = [await join(), await join()];
    const room = await createRoom(bystander, { members: [flooder.user.name] });
    const codes = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? errorCode(flooder.socket, "room:members", { room: room.id })
          : errorCode(flooder.socket, i % 3 === 1 ? "history" : "search", { q: "x" }),
      ),
    );
    expect(codes.filter((c) => c === "ok").length).toBeLessThanOrEqual(20);
    expect(new Set(codes)).toEqual(new Set(["ok", "rate_limited"]));
    // With history and search spent, the member list is refused too.
    expect(await errorCode(flooder.socket, "room:members", { room: room.id })).toBe("rate_limited");
    expect(await errorCode(bystander.socket, "room:members", { room: room.id })).toBe("ok");
  });
});
