// Several devices, admins, moderation and the socket cap across two nodes (Redis + PostgreSQL).
import { LIMITS } from "../../common/events";
import {
  connect,
  connected,
  eventually,
  joinChat,
  send,
  sleep,
  type Client,
  type ClientSocket,
} from "../support/clients";
import { addDevice, connectedSocket, from, moderate, serverDisconnect } from "../support/identity";
import { startCluster, type Cluster } from "./harness";

const ADMIN_CODE = "cluster-admin-code";
let cluster: Cluster;
const sockets: ClientSocket[] = [];
const url = (i: number) => cluster.nodes[i].url;
async function join(node: number): Promise<Client> {
  const client = await joinChat(url(node));
  sockets.push(client.socket);
  return client;
}

beforeAll(async () => {
  cluster = await startCluster(2, { ADMIN_CODE });
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.stop();
});

describe("identity across nodes", () => {
  it("links a device on the other node; logout there leaves this one connected", async () => {
    const laptop = await join(0);
    const phone = await addDevice(url(1), laptop.token);
    expect(phone.user).toEqual(laptop.user);
    const phoneSocket = await connectedSocket(url(1), phone.token);
    sockets.push(phoneSocket);
    const gone = serverDisconnect(phoneSocket);
    await from(url(0)).post("/logout", phone.token).type("form").send({});
    await gone;
    await sleep(200);
    expect(laptop.socket.connected).toBe(true);
  });

  it("makes sockets on both nodes admin, and a kick disconnects the target on every node", async () => {
    const boss = await join(0);
    const bossPhone = await addDevice(url(0), boss.token);
    const bossOnNode1 = await connectedSocket(url(1), bossPhone.token);
    sockets.push(bossOnNode1);
    const troll = await join(0);
    const trollPhone = await addDevice(url(1), troll.token);
    const trollOnNode1 = await connectedSocket(url(1), trollPhone.token);
    sockets.push(trollOnNode1);
    expect((await moderate(bossOnNode1, { action: "kick", name: troll.user.name })).ok).toBe(false);
    const res = await from(url(0)).post("/api/admin", boss.token).send({ code: ADMIN_CODE });
    expect(res.status).toBe(200);
    // The claim went to node 0; the socket on node 1 heard of it through the adapter.
    await sleep(300);
    const started = Date.now();
    const gone = Promise.all([serverDisconnect(troll.socket), serverDisconnect(trollOnNode1)]);
    expect(await moderate(bossOnNode1, { action: "kick", name: troll.user.name })).toEqual({
      ok: true,
    });
    await gone;
    expect(Date.now() - started).toBeLessThan(3000);
    const again = await from(url(0))
      .post("/api/session")
      .send({ name: troll.user.name, avatar: "fox" });
    expect(again.status).toBe(201);
  });

  it("a ban made through one node refuses the nickname on the other; the unban lets it back", async () => {
    const boss = await join(1);
    await from(url(1)).post("/api/admin", boss.token).send({ code: ADMIN_CODE });
    const troll = await join(0);
    const gone = serverDisconnect(troll.socket);
    expect(await moderate(boss.socket, { action: "ban", name: troll.user.name })).toEqual({
      ok: true,
    });
    await gone;
    const res = await from(url(0))
      .post("/api/session")
      .send({ name: troll.user.name, avatar: "fox" });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("banned");
    // Everyone here logs in from 127.0.0.1, which the ban covers too.
    expect(await moderate(boss.socket, { action: "unban", name: troll.user.name })).toEqual({
      ok: true,
    });
    // The unban, made through node 1, lets the nickname in again on node 0.
    const back = await from(url(0))
      .post("/api/session")
      .send({ name: troll.user.name, avatar: "fox" });
    expect(back.status).toBe(201);
    expect(back.body.user.name).toBe(troll.user.name);
    const socket = await connectedSocket(url(0), back.body.token);
    sockets.push(socket);
  });

  it(`counts a user's sockets on both nodes: number ${LIMITS.socketsPerUser + 1} is refused`, async () => {
    const user = await join(0);
    const half = LIMITS.socketsPerUser / 2;
    const more = Array.from({ length: LIMITS.socketsPerUser - 1 }, (_, i) =>
      connect(url(i < half ? 1 : 0), user.token),
    );
    sockets.push(...more);
    await Promise.all(more.map(connected));
    const extra = connect(url(1), user.token);
    sockets.push(extra);
    await expect(connected(extra)).rejects.toThrow("too_many_connections");
  });

  it("a nickname released on one node is no recipient on the other, its next holder is", async () => {
    const alice = await join(1);
    const bob = await join(0);
    // Node 1 now knows bob as the holder (recipients are resolved from memory there).
    expect((await send(alice.socket, { content: "hi", to: bob.user.name })).ok).toBe(true);
    const gone = serverDisconnect(bob.socket);
    await from(url(0)).post("/logout", bob.token).type("form").send({});
    await gone;
    await eventually(async () => {
      const ack = await send(alice.socket, { content: "still there?", to: bob.user.name });
      return !ack.ok && ack.error.code === "unknown_recipient";
    });
    const next = await joinChat(url(0), bob.user.name);
    sockets.push(next.socket);
    const ack = await send(alice.socket, { content: "who are you?", to: bob.user.name });
    expect(ack.ok && ack.message.to?.id).toBe(next.user.id);
    expect(bob.received.map((m) => m.content)).not.toContain("who are you?");
  });

  it("shares LOGIN_RATE_LIMIT between nodes through Redis", async () => {
    const limited = [
      await cluster.startNode({ LOGIN_RATE_LIMIT: "3" }),
      await cluster.startNode({ LOGIN_RATE_LIMIT: "3" }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await from(limited[i % 2].url)
        .post("/api/session")
        .send({ name: `limited-${i}-${process.pid}`, avatar: "fox" });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it("a secured user signs in on the other node; failed checks add up across nodes", async () => {
    const strong = "correct horse battery staple 42";
    const alice = await join(0);
    await from(url(0))
      .post("/api/account/password", alice.token)
      .send({ password: strong })
      .expect(204);
    await from(url(0)).post("/logout", alice.token).type("form").send({ everywhere: "1" });
    // Held on both nodes with no session: a newcomer is asked for the password.
    const taken = await from(url(1))
      .post("/api/session")
      .send({ name: alice.user.name, avatar: "owl" });
    expect([taken.status, taken.body.error.code]).toEqual([401, "bad_credentials"]);
    const back = await from(url(1))
      .post("/api/session")
      .send({ name: alice.user.name, password: strong })
      .expect(201);
    expect(back.body.user).toEqual(alice.user);
    for (let i = 0; i < 10; i++) {
      await from(url(i % 2))
        .post("/api/session")
        .send({ name: alice.user.name, password: `wrong guess ${i}` })
        .expect(401);
    }
    const locked = await from(url(0))
      .post("/api/session")
      .send({ name: alice.user.name, password: strong });
    expect([locked.status, locked.body.error.code]).toEqual([429, "rate_limited"]);
  });
});
