// Rooms on two nodes sharing Redis and PostgreSQL: membership, delivery, leaving and read
// state hold on every node, and an outsider on either node sees nothing.
import type { ReadEvent, Room } from "../../common/events";
import {
  callOk,
  connect,
  connected,
  errorCode,
  eventually,
  nextEvent,
  recordEvents,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { useCluster } from "./harness";

const { join, url } = useCluster(2);

describe("rooms on two nodes", () => {
  it("a closed room reaches its members on both nodes and nobody else; leaving stops it on every node", async () => {
    const [a, b, outsider] = [await join(0), await join(1), await join(1)];
    const seen = recordEvents(outsider.socket, ["textmsg", "typing", "room", "read"]);
    // b also has a tab on node 0.
    const bTab0 = connect(url(0), b.token);
    const tab0: string[] = [];
    bTab0.on("textmsg", (m) => tab0.push(m.content));
    await connected(bTab0);

    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("cl"),
      kind: "closed",
      members: [b.user.name],
    });
    const m = await sendOk(a.socket, { content: "across nodes", room: room.id });
    await eventually(() => b.received.some((x) => x.id === m.id) && tab0.includes(m.content));
    expect(await errorCode(outsider.socket, "history", { room: room.id })).toBe("not_found");

    await callOk(b.socket, "room:leave", { room: room.id });
    await sleep(300); // the leave travels to node 0 through the adapter
    const after = await sendOk(a.socket, { content: "after b left", room: room.id });
    await eventually(() => a.received.some((x) => x.id === after.id));
    await sleep(300);
    expect(b.received.some((x) => x.id === after.id)).toBe(false);
    expect(tab0).not.toContain("after b left");
    expect(seen).toEqual([]);
    expect(outsider.received.some((x) => x.room === room.id)).toBe(false);
    bTab0.close();
  });

  it("an open room reaches its members on both nodes, not a non-member on the other node", async () => {
    const [a, b, outsider] = [await join(0), await join(1), await join(1)];
    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("open"),
      kind: "open",
    });
    await callOk(b.socket, "room:join", { room: room.id });
    const m = await sendOk(a.socket, { content: "open across nodes", room: room.id });
    await eventually(() => b.received.some((x) => x.id === m.id));
    const back = await sendOk(b.socket, { content: "and back", room: room.id });
    await eventually(() => a.received.some((x) => x.id === back.id));
    await sleep(300);
    expect(outsider.received.filter((x) => x.room === room.id)).toEqual([]);
    // Anyone may read an open room's history; hearing it needs joining.
    const history = await callOk<{ messages: { id: string }[] }>(outsider.socket, "history", {
      room: room.id,
    });
    expect(history.messages.map((x) => x.id).sort()).toEqual([m.id, back.id].sort());
  });

  it("room:list on the other node shows a closed room to its members only", async () => {
    const [a, member, outsider] = [await join(0), await join(1), await join(1)];
    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("cl"),
      kind: "closed",
      members: [member.user.name],
    });
    const listed = async (c: Client) =>
      (await callOk<{ rooms: Room[] }>(c.socket, "room:list", {})).rooms.map((r) => r.id);
    expect(await listed(member)).toContain(room.id);
    expect(await listed(outsider)).not.toContain(room.id);
    expect(await listed(a)).toContain(room.id);
  });

  it("joining on one node delivers to the joiner's sockets on the other", async () => {
    const [a, b] = [await join(0), await join(1)];
    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("op"),
      kind: "open",
    });
    const bTab0 = connect(url(0), b.token);
    const got: string[] = [];
    bTab0.on("textmsg", (m) => got.push(m.content));
    await connected(bTab0);
    await callOk(b.socket, "room:join", { room: room.id });
    await sleep(300);
    await sendOk(a.socket, { content: "hello joiner", room: room.id });
    await eventually(() => got.includes("hello joiner"));
    bTab0.close();
  });

  it("read on one node clears unread on the user's socket on the other node", async () => {
    const [a, b] = [await join(0), await join(1)];
    const m = await sendOk(a.socket, { content: "read me", to: b.user.name });
    const bTab0 = connect(url(0), b.token);
    await connected(bTab0);
    const synced = nextEvent(bTab0, "read", (e: ReadEvent) => e.with?.id === a.user.id);
    await callOk(b.socket, "read", { with: a.user.name, id: m.id });
    expect(await synced).toEqual({ with: a.user, id: m.id });
    const fresh = connect(url(0), b.token);
    const snapshot = nextEvent(fresh, "rooms");
    await connected(fresh);
    expect((await snapshot).directs.find((d) => d.user.id === a.user.id)).toMatchObject({
      unread: 0,
      lastRead: m.id,
    });
    bTab0.close();
    fresh.close();
  });
});
