// Web Push at its edges: SSRF-safe endpoints (at subscribe time and at send time), bad
// `notify` and `/api/push` inputs, unsubscribing, and subscriptions ending with the user.
import net from "node:net";
import pino from "pino";
import request from "supertest";
import { storesOn } from "../../server/store/create-store";
import type { SqliteStore } from "../../server/store/sqlite-store";
import type { Lookup } from "../../server/push/endpoint-check";
import {
  connect,
  connected,
  errorCode,
  eventually,
  joinChat,
  login,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { startPushReceiver, type PushReceiver } from "../support/push-receiver";
import { expectPushes, subscribe, subscribeAt } from "../support/push";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let receiver: PushReceiver;
let trap: net.Server;
let trapped = 0;
let alice: Client;
/** DNS as the tests script it: `rebind.test` is public until the server connects. */
let rebindCalls = 0;
const lookup: Lookup = async (host) => {
  if (host === "public.test") return [{ address: "93.184.216.34", family: 4 }];
  if (host === "inside.test") return [{ address: "10.1.2.3", family: 4 }];
  if (host === "mixed.test") {
    return [
      { address: "93.184.216.34", family: 4 },
      { address: "fd00::1", family: 6 },
    ];
  }
  if (host === "rebind.test") {
    return ++rebindCalls <= 2
      ? [{ address: "93.184.216.34", family: 4 }]
      : [{ address: "127.0.0.1", family: 4 }];
  }
  if (host === "localhost") return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
};

beforeAll(async () => {
  // Anything connecting here is a push that should never have been sent.
  trap = net.createServer((s) => {
    trapped++;
    s.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, "127.0.0.1", resolve));
  receiver = await startPushReceiver(() => server.config.vapid.publicKey);
  // Room for the many refused endpoints below; the budget has its own test.
  server = await startServer(
    { PUSH_ENDPOINT_ALLOWLIST: receiver.origin, PUSH_SUBSCRIPTION_RATE_LIMIT: "30" },
    { pushLookup: lookup },
  );
  alice = await joinChat(server.url, uniqueName("alice"));
});
afterAll(async () => {
  alice.socket.disconnect();
  await server.close();
  await receiver.close();
  await new Promise((r) => trap.close(r));
});

const pushStore = () => storesOn(server.store as SqliteStore).push;
const keys = () => receiver.subscription(uniqueName("k")).keys;
const trapPort = () => (trap.address() as net.AddressInfo).port;

describe("push endpoints are SSRF-safe", () => {
  it("refuses non-https, loopback, private, link-local and mapped endpoints with 400 invalid", async () => {
    const { token, user } = await login(server.url);
    const refused = [
      "https://127.0.0.1/",
      "http://10.0.0.1/",
      "http://public.test/push",
      "https://10.0.0.1/",
      "https://169.254.169.254/latest",
      "https://192.168.1.1/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://[::ffff:7f00:1]/",
      "https://[fd12::1]/",
      "https://[fe80::1]/",
      "https://0.0.0.0/",
      "https://2130706433/",
      "https://localhost/",
      "https://inside.test/",
      "https://mixed.test/",
      "https://nowhere.test/",
      "https://user:pw@public.test/",
      "ftp://public.test/",
      `http://127.0.0.1:${trapPort()}/`,
    ];
    for (const endpoint of refused) {
      const res = await subscribe(server.url, token, { endpoint, keys: keys() });
      expect([endpoint, res.status, res.body.error?.code]).toEqual([endpoint, 400, "invalid"]);
    }
    expect(await pushStore().subscriptionsOf([user.id])).toEqual([]);
    const ok = await subscribe(server.url, token, {
      endpoint: "https://public.test/p",
      keys: keys(),
    });
    expect(ok.status).toBe(201);
  });

  it("checks again when sending: nothing connects to an inside address, even after a rebind", async () => {
    const { token, user } = await login(server.url);
    const port = trapPort();
    // Stored behind the route's back: the sender must refuse these by itself.
    for (const endpoint of [`https://127.0.0.1:${port}/a`, `https://localhost:${port}/b`]) {
      await pushStore().subscribe(user.id, { endpoint, ...keys() }, Date.now());
    }
    // Public when subscribed and when the sender checks it, loopback when it connects.
    const res = await subscribe(server.url, token, {
      endpoint: `https://rebind.test:${port}/c`,
      keys: keys(),
    });
    expect([res.status, res.body]).toEqual([201, {}]);
    await sendOk(alice.socket, { content: "do not leak", to: user.name });
    await eventually(() => rebindCalls >= 3);
    await sleep(300);
    await server.chat.push.queue.drained();
    expect(trapped).toBe(0);
  });
});

describe("bad push inputs", () => {
  it("notify answers invalid, not_found or unknown_recipient, and the server serves on", async () => {
    const bob = await joinChat(server.url);
    const cases: [unknown, string][] = [
      [undefined, "invalid"],
      ["all", "invalid"],
      [{}, "invalid"],
      [{ level: "loud" }, "invalid"],
      [{ level: 1 }, "invalid"],
      [{ room: 5, level: "all" }, "invalid"],
      [{ room: "group", with: alice.user.name, level: "all" }, "invalid"],
      [{ level: "all", extra: true }, "invalid"],
      [{ room: "x".repeat(65), level: "all" }, "invalid"],
      [{ room: "no-such-room", level: "all" }, "not_found"],
      [{ with: uniqueName("nobody"), level: "none" }, "unknown_recipient"],
      [{ level: "all" }, "ok"],
      [{ with: alice.user.name, level: "mentions" }, "ok"],
    ];
    for (const [payload, code] of cases) {
      expect([payload, await errorCode(bob.socket, "notify", payload)]).toEqual([payload, code]);
    }
    // A closed room bob is not in is not_found, like one that does not exist.
    const closed = await new Promise<{ room: { id: string } }>((resolve) =>
      (alice.socket.emit as (e: string, p: unknown, a: (r: never) => void) => void)(
        "room:create",
        { name: uniqueName("Hidden"), kind: "closed" },
        resolve,
      ),
    );
    expect(await errorCode(bob.socket, "notify", { room: closed.room.id, level: "all" })).toBe(
      "not_found",
    );
    await sendOk(bob.socket, { content: "still here", to: alice.user.name });
    bob.socket.disconnect();
  });

  it("POST /api/push answers 401, 400 invalid and 429; DELETE answers 204, unsubscribes and shares the budget", async () => {
    const { token, user } = await login(server.url);
    const good = receiver.subscription(uniqueName("ep"));
    expect((await subscribe(server.url, undefined, good)).status).toBe(401);
    const bad: unknown[] = [
      "{not json",
      "[]",
      "null",
      { endpoint: good.endpoint },
      { endpoint: good.endpoint, keys: { p256dh: "short", auth: good.keys.auth } },
      {
        endpoint: good.endpoint,
        keys: { p256dh: good.keys.p256dh, auth: "!!!!!!!!!!!!!!!!!!!!!!" },
      },
      { endpoint: "not a url", keys: good.keys },
      { endpoint: `${receiver.origin}/${"x".repeat(3000)}`, keys: good.keys },
    ];
    for (const body of bad) {
      const res = await subscribe(server.url, token, body);
      expect([body, res.status, res.body.error?.code]).toEqual([body, 400, "invalid"]);
    }
    // PUSH_SUBSCRIPTION_RATE_LIMIT attempts a minute per user (30 here): bad ones count too,
    // and so do the two authorized unsubscribes below.
    for (let i = bad.length; i < 28; i++) {
      expect((await subscribe(server.url, token, good)).status).toBe(201);
    }
    expect(await pushStore().subscriptionsOf([user.id])).toHaveLength(1);
    const del = () =>
      request(server.url).delete("/api/push").set("Authorization", `Bearer ${token}`);
    expect((await del().send({ endpoint: 5 })).status).toBe(400);
    expect(
      (await request(server.url).delete("/api/push").send({ endpoint: good.endpoint })).status,
    ).toBe(401);
    expect((await del().send({ endpoint: good.endpoint })).status).toBe(204);
    expect(await pushStore().subscriptionsOf([user.id])).toEqual([]);
    expect((await subscribe(server.url, token, good)).status).toBe(429);
    const refused = await del().send({ endpoint: good.endpoint });
    expect([refused.status, refused.body.error.code]).toEqual([429, "rate_limited"]);
    expect(refused.headers["retry-after"]).toBe("60");
    // Others are served as before: a fresh user subscribes and is pushed.
    const { token: t2, user: carol } = await login(server.url);
    const endpoint = uniqueName("ep");
    await subscribeAt(server.url, t2, receiver, endpoint);
    await sendOk(alice.socket, { content: "after the noise", to: carol.name });
    await expectPushes(receiver, endpoint, 1);
  });

  it("a user's subscriptions and levels go when its last session ends", async () => {
    const { token, user } = await login(server.url);
    await subscribeAt(server.url, token, receiver, uniqueName("ep"));
    const socket = connect(server.url, token);
    await connected(socket);
    expect(await errorCode(socket, "notify", { level: "none" })).toBe("ok");
    socket.disconnect();
    const res = await request(server.url)
      .delete("/api/session")
      .set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(204);
    await eventually(async () => (await pushStore().subscriptionsOf([user.id])).length === 0);
    expect(await pushStore().levels(user.id, ["group"])).toEqual([null]);
  });
});

describe("push logs", () => {
  it("never carry message text or full endpoints, only ids, origins and statuses", async () => {
    const lines: string[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
    const logged = await startServer({ PUSH_ENDPOINT_ALLOWLIST: receiver.origin }, { log });
    try {
      const sender = await joinChat(logged.url);
      const { token, user } = await login(logged.url);
      const endpoint = uniqueName("ep");
      await subscribeAt(logged.url, token, receiver, endpoint);
      receiver.answer(endpoint, 500);
      await sendOk(sender.socket, { content: "secret words for bob only", to: user.name });
      await eventually(() => lines.some((l) => l.includes("push refused by the push service")));
      const all = lines.join("\n");
      expect(all).toContain(receiver.origin);
      expect(all).not.toContain("secret words");
      expect(all).not.toContain(`/push/${endpoint}`);
      sender.socket.disconnect();
    } finally {
      await logged.close();
    }
  });
});
