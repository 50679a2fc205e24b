import pino from "pino";
import type { User } from "../../common/events";
import { RedisRateLimiter } from "../../server/chat/redis-rate-limiter";
import { connectRedis, type RedisClient } from "../../server/cluster/redis-client";
import {
  ADAPTER_STREAM,
  STREAM_KEEP_MARGIN_MS,
  startStreamTrim,
  trimStream,
} from "../../server/cluster/stream-trim";
import type { PresenceChange } from "../../server/presence/presence";
import { RedisPresence } from "../../server/presence/redis-presence";
import { eventually, sleep } from "../support/clients";
import { startRedis, type RedisService } from "../support/services";

const log = pino({ level: "silent" });
let redis: RedisService;
let client: RedisClient;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  client = await connectRedis(redis.url, log);
});
afterAll(async () => {
  for (const p of open) await p.close();
  client.destroy();
  await redis.dispose();
});

const user = (id: string): User => ({ id, name: id.toUpperCase(), avatar: "fox" });

async function presence(nodeId: string, prefix: string): Promise<RedisPresence> {
  const p = new RedisPresence(client, { nodeId, log, prefix, ttlMs: 1000, heartbeatMs: 200 });
  await p.start();
  open.push(p);
  return p;
}

/** Stops a node's heartbeat without the clean leave, as a kill -9 would. */
function stopHeartbeat(p: RedisPresence): void {
  clearInterval((p as unknown as { timer: NodeJS.Timeout }).timer);
}

function changes(p: RedisPresence): PresenceChange[] {
  const seen: PresenceChange[] = [];
  p.on("change", (c) => seen.push(c));
  return seen;
}

describe("RedisPresence", () => {
  it("counts a user once across nodes and tells every node who joined and left", async () => {
    const [n1, n2] = [await presence("n1", "{p1}:"), await presence("n2", "{p1}:")];
    const [seen1, seen2] = [changes(n1), changes(n2)];
    const alice = user("alice");
    await n1.connect(alice);
    await n2.connect(alice);
    await n2.connect(user("bob"));
    expect((await n1.snapshot()).count).toBe(2);
    expect((await n2.snapshot()).users.map((u) => u.id).sort()).toEqual(["alice", "bob"]);
    await n1.disconnect(alice);
    expect((await n1.snapshot()).count).toBe(2);
    await n2.disconnect(alice);
    const expected = [
      { joined: [alice], left: [], count: 1 },
      { joined: [user("bob")], left: [], count: 2 },
      { joined: [], left: [alice], count: 1 },
    ];
    await eventually(() => seen1.length === 3 && seen2.length === 3);
    expect(seen1).toEqual(expected);
    expect(seen2).toEqual(expected);
    expect(n1.localUserIds()).toEqual([]);
    expect(n2.localUserIds()).toEqual(["bob"]);
  });

  it("drops what an earlier run of the same node left behind, and leaves on close", async () => {
    const before = await presence("same", "{p2}:");
    await before.connect(user("ghost"));
    stopHeartbeat(before);
    const watcher = await presence("watcher", "{p2}:");
    const seen = changes(watcher);
    const restarted = await presence("same", "{p2}:"); // same NODE_ID, fresh process
    expect((await restarted.snapshot()).count).toBe(0);
    await restarted.connect(user("carol"));
    await restarted.close();
    await eventually(() => seen.length === 3);
    expect(seen.map((c) => [c.joined.length, c.left.length, c.count])).toEqual([
      [0, 1, 0],
      [1, 0, 1],
      [0, 1, 0],
    ]);
  });

  it("lists an online user's new picture on every node, without a join or leave; not an offline one", async () => {
    const [n1, n2] = [await presence("u1", "{p4}:"), await presence("u2", "{p4}:")];
    const seen = changes(n2);
    await n1.connect(user("erin"));
    await n2.connect(user("erin"));
    const pictured = { ...user("erin"), avatar: "custom:AbCdEfGhIjKlMnOpQrStUv" };
    await n2.update(pictured);
    await n1.update(pictured);
    await n1.update({ ...user("ghost"), avatar: "custom:x" });
    expect((await n1.snapshot()).users).toEqual([pictured]);
    expect((await n2.snapshot()).users).toEqual([pictured]);
    // Each node's own entry has it too: the user leaves the cluster with its new picture.
    await n1.disconnect(pictured);
    await n2.disconnect(pictured);
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([
      { joined: [user("erin")], left: [], count: 1 },
      { joined: [], left: [pictured], count: 0 },
    ]);
  });

  it("lets a node that stopped heartbeating drop out after the TTL", async () => {
    const survivor = await presence("alive", "{p3}:");
    const dead = await presence("dead", "{p3}:");
    const seen = changes(survivor);
    await dead.connect(user("dan"));
    stopHeartbeat(dead);
    await eventually(() => seen.some((c) => c.left.some((u) => u.id === "dan")), 3000);
    expect((await survivor.snapshot()).count).toBe(0);
  });
});

describe("RedisRateLimiter", () => {
  it("shares one sliding window between nodes, refunds, and frees slots as time passes", async () => {
    const nodes = [new RedisRateLimiter(client, 5, 500), new RedisRateLimiter(client, 5, 500)];
    const taken = [];
    for (let i = 0; i < 8; i++) taken.push(await nodes[i % 2].take("u1"));
    expect(taken.filter(Boolean)).toHaveLength(5);
    await nodes[0].refund("u1");
    expect(await nodes[1].take("u1")).toBe(true);
    expect(await nodes[1].take("u1")).toBe(false);
    expect(await nodes[0].take("u2")).toBe(true);
    await sleep(550);
    expect(await nodes[1].take("u1")).toBe(true);
  });

  it("falls back to a per-node window while Redis is unreachable", async () => {
    const offline = await connectRedis(redis.url, log);
    offline.destroy();
    const limiter = new RedisRateLimiter(offline, 2, 10_000);
    expect([await limiter.take("u"), await limiter.take("u"), await limiter.take("u")]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe("the adapter's stream", () => {
  it("is trimmed to a time window by Redis's clock, newer entries kept", async () => {
    const stream = "{trim}:stream";
    const old = Date.now() - 10 * 60_000;
    await client.sendCommand(["XADD", stream, `${old}-0`, "text", "deleted long ago"]);
    await client.sendCommand(["XADD", stream, `${old + 1}-0`, "text", "edited long ago"]);
    await client.sendCommand(["XADD", stream, "*", "text", "just now"]);
    expect(await trimStream(client, stream, 60_000)).toBe(2);
    const left = (await client.sendCommand(["XRANGE", stream, "-", "+"])) as [string, string[]][];
    expect(left.map(([, fields]) => fields[1])).toEqual(["just now"]);
  });

  it("is trimmed by every node on a timer, to the recovery window plus a margin", async () => {
    const old = Date.now() - 2 * 60_000 - STREAM_KEEP_MARGIN_MS - 5000;
    await client.sendCommand(["XADD", ADAPTER_STREAM, `${old}-0`, "text", "stale"]);
    await client.sendCommand(["XADD", ADAPTER_STREAM, "*", "text", "fresh"]);
    const stop = startStreamTrim(client, 2 * 60_000, log, 50);
    await eventually(async () => Number(await client.sendCommand(["XLEN", ADAPTER_STREAM])) === 1);
    stop();
  });
});
