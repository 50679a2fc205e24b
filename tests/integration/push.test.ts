// Web Push end to end: a real push receiver on 127.0.0.1 (allowlisted) decrypts every push
// and checks its VAPID JWT; users with no socket get pushed by their levels, others never.
import fs from "node:fs";
import path from "node:path";
import type { RoomsPayload } from "../../common/events";
import { storesOn } from "../../server/store/create-store";
import type { SqliteStore } from "../../server/store/sqlite-store";
import {
  callOk,
  connect,
  connected,
  eventually,
  joinChat,
  login,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startPushReceiver, type PushReceiver } from "../support/push-receiver";
import { expectPushes, pushesTo, subscribeAt } from "../support/push";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let receiver: PushReceiver;
let alice: Client;
beforeAll(async () => {
  receiver = await startPushReceiver(() => server.config.vapid.publicKey);
  server = await startServer({ PUSH_ENDPOINT_ALLOWLIST: receiver.origin });
  alice = await joinChat(server.url, uniqueName("alice"));
});
afterAll(async () => {
  alice.socket.disconnect();
  await server.close();
  await receiver.close();
});

const pushStore = () => storesOn(server.store as SqliteStore).push;

/** A user with a live session and a push subscription, but no socket. */
async function offlineUser(prefix: string) {
  const { token, user } = await login(server.url, uniqueName(prefix));
  const endpoint = uniqueName("ep");
  await subscribeAt(server.url, token, receiver, endpoint);
  return { token, user, endpoint };
}

describe("Web Push", () => {
  it("GET /api/push gives the VAPID public key, generated once into DATA_DIR", async () => {
    const res = await fetch(`${server.url}/api/push`);
    expect(res.status).toBe(200);
    const { publicKey } = (await res.json()) as { publicKey: string };
    expect(Buffer.from(publicKey, "base64url")).toHaveLength(65);
    const kept = JSON.parse(fs.readFileSync(path.join(server.dataDir, "vapid.json"), "utf8"));
    expect(kept.publicKey).toBe(publicKey);
  });

  it("pushes an offline user exactly once for a private message, decryptable and signed", async () => {
    const bob = await offlineUser("bob");
    await sendOk(alice.socket, { content: "are you there, bob?", to: bob.user.name });
    const [push] = await expectPushes(receiver, bob.endpoint, 1);
    expect(push.payload).toEqual({
      title: alice.user.name,
      body: "are you there, bob?",
      url: `/chat#with:${encodeURIComponent(alice.user.name)}`,
      tag: expect.stringMatching(/^p:/),
      icon: "/icons/icon-192.png",
    });
    expect(push.jwt.aud).toBe(receiver.origin);
    expect(push.headers.urgency).toBe("high");
    expect(push.headers.topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
  });

  it("a group message pushes nobody without a mention, and the mentioned user once", async () => {
    const bob = await offlineUser("bob");
    await sendOk(alice.socket, { content: "hello everyone" });
    await expectPushes(receiver, bob.endpoint, 0);
    const long = `@${bob.user.name} ${"x".repeat(500)}`;
    await sendOk(alice.socket, { content: long });
    const [push] = await expectPushes(receiver, bob.endpoint, 1);
    expect(push.payload.title).toBe(`${alice.user.name} in Group`);
    expect(push.payload.url).toBe("/chat#r:group");
    expect(push.payload.tag).toBe("group");
    expect(long.startsWith(push.payload.body.slice(0, -1))).toBe(true);
    expect([...push.payload.body].length).toBeLessThanOrEqual(180);
  });

  it("a closed room pushes its offline members (default all); an open room needs a mention", async () => {
    const bob = await offlineUser("bob");
    const { room } = await callOk<{ room: { id: string; name: string } }>(
      alice.socket,
      "room:create",
      { name: uniqueName("Secret"), kind: "closed", members: [bob.user.name] },
    );
    await sendOk(alice.socket, { content: "in the closed room", room: room.id });
    const [push] = await expectPushes(receiver, bob.endpoint, 1);
    expect(push.payload).toMatchObject({
      title: `${alice.user.name} in ${room.name}`,
      body: "in the closed room",
      url: `/chat#r:${room.id}`,
      tag: `r:${room.id}`,
    });
    const open = await callOk<{ room: { id: string } }>(alice.socket, "room:create", {
      name: uniqueName("Open"),
      kind: "open",
    });
    const bobSocket = connect(server.url, bob.token);
    await connected(bobSocket);
    await callOk(bobSocket, "room:join", { room: open.room.id });
    bobSocket.disconnect();
    await eventually(async () => (await server.chat.presence.snapshot()).count === 1);
    await sendOk(alice.socket, { content: "open chatter", room: open.room.id });
    await expectPushes(receiver, bob.endpoint, 1);
  });

  it("never pushes a user with a connected socket", async () => {
    const bob = await offlineUser("bob");
    const socket = connect(server.url, bob.token);
    // Listening before the connect: `rooms` may come in the same read as the connect itself.
    const snapshot = nextEvent(socket, "rooms");
    await connected(socket);
    await snapshot;
    await sendOk(alice.socket, { content: "you are online", to: bob.user.name });
    await expectPushes(receiver, bob.endpoint, 0);
    socket.disconnect();
    await eventually(async () => (await server.chat.presence.snapshot()).count === 1);
    await sendOk(alice.socket, { content: "now you are not", to: bob.user.name });
    await expectPushes(receiver, bob.endpoint, 1);
  });

  it("level none silences a conversation; levels are stored and shown in the rooms snapshot", async () => {
    const bob = await offlineUser("bob");
    const { room } = await callOk<{ room: { id: string } }>(alice.socket, "room:create", {
      name: uniqueName("Quiet"),
      kind: "closed",
      members: [bob.user.name],
    });
    await sendOk(alice.socket, { content: "first", to: bob.user.name });
    await expectPushes(receiver, bob.endpoint, 1);
    const socket = connect(server.url, bob.token);
    await connected(socket);
    await callOk(socket, "notify", { with: alice.user.name, level: "none" });
    await callOk(socket, "notify", { room: room.id, level: "none" });
    await callOk(socket, "notify", { room: "group", level: "all" });
    socket.disconnect();
    const again = connect(server.url, bob.token);
    const snapshot = nextEvent(again, "rooms") as Promise<RoomsPayload>;
    await connected(again);
    const { rooms, directs } = await snapshot;
    expect(rooms.find((r) => r.id === room.id)?.level).toBe("none");
    expect(rooms.find((r) => r.id === "group")?.level).toBe("all");
    expect(directs.find((d) => d.user.id === alice.user.id)?.level).toBe("none");
    again.disconnect();
    await eventually(async () => (await server.chat.presence.snapshot()).count === 1);
    await sendOk(alice.socket, { content: "silenced", to: bob.user.name });
    await sendOk(alice.socket, { content: "silenced too", room: room.id });
    await sendOk(alice.socket, { content: "group at level all" });
    const pushes = await expectPushes(receiver, bob.endpoint, 2);
    expect(pushes[1].payload.body).toBe("group at level all");
  });

  it("drops a subscription whose endpoint answers 410", async () => {
    const carol = await offlineUser("carol");
    receiver.answer(carol.endpoint, 410);
    await sendOk(alice.socket, { content: "gone?", to: carol.user.name });
    await expectPushes(receiver, carol.endpoint, 1);
    await eventually(async () => (await pushStore().subscriptionsOf([carol.user.id])).length === 0);
    await sendOk(alice.socket, { content: "still gone", to: carol.user.name });
    await expectPushes(receiver, carol.endpoint, 1);
    expect(pushesTo(receiver, carol.endpoint)).toHaveLength(1);
  });
});
