import type { PresencePayload } from "../../common/events";
import {
  connect,
  connected,
  joinChat,
  login,
  nextEvent,
  sendOk,
  sleep,
  uniqueName,
  type Client,
} from "../support/clients";
import { fullHistory, startCluster, type Cluster } from "./harness";

let cluster: Cluster;
const clients: Client[] = [];
const url = (i: number) => cluster.nodes[i].url;
async function join(node: number, name?: string): Promise<Client> {
  const client = await joinChat(url(node), name);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.socket.close();
  await cluster?.stop();
});

describe("two nodes on Redis and PostgreSQL", () => {
  it("deliver group and private messages across nodes, to nobody else", async () => {
    const [a, b, c] = [await join(0), await join(1), await join(1)];
    const seen = [a, b, c].map((x) => nextEvent(x.socket, "textmsg", (m) => m.content === "hi"));
    const sent = await sendOk(a.socket, { content: "hi" });
    for (const m of await Promise.all(seen)) expect(m).toEqual(sent);

    const toA = nextEvent(a.socket, "textmsg", (m) => m.content === "psst");
    const echo = nextEvent(b.socket, "textmsg", (m) => m.content === "psst");
    const secret = await sendOk(b.socket, { content: "psst", to: a.user.name });
    expect(await toA).toEqual(secret);
    expect(await echo).toEqual(secret);
    expect(secret.to).toEqual(a.user);
    await sleep(300);
    expect(c.received.some((m) => m.content === "psst")).toBe(false);
  });

  it("agree on online and presence; a user with tabs on both nodes counts once", async () => {
    const [w0, w1] = [await join(0), await join(1)];
    await sleep(400); // let the watchers' own joins be announced
    const name = uniqueName("tabs");
    const { token, user } = await login(url(0), name);
    const joinedOn = (w: Client) =>
      nextEvent(w.socket, "presence", (p) => p.joined.some((u) => u.id === user.id));
    const joined = [joinedOn(w0), joinedOn(w1)];
    const tab1 = connect(url(0), token);
    const online1 = nextEvent(tab1, "online");
    await connected(tab1);
    const [p0, p1] = await Promise.all(joined);
    expect(p0.count).toBe(p1.count);
    expect((await online1).count).toBe(p0.count);

    // A second tab on the other node: same count, no new announcement.
    const unexpected: PresencePayload[] = [];
    w0.socket.on("presence", (p) => unexpected.push(p));
    const tab2 = connect(url(1), token);
    const online2 = await new Promise<{ count: number; users: { id: string }[] }>((resolve) => {
      tab2.once("online", resolve);
    });
    expect(online2.count).toBe(p0.count);
    expect(online2.users.filter((u) => u.id === user.id)).toHaveLength(1);
    tab1.close();
    await sleep(600);
    expect(unexpected.filter((p) => p.left.some((u) => u.id === user.id))).toEqual([]);

    const leftOn = (w: Client) =>
      nextEvent(w.socket, "presence", (p) => p.left.some((u) => u.id === user.id));
    const left = [leftOn(w0), leftOn(w1)];
    tab2.close();
    const [l0, l1] = await Promise.all(left);
    expect(l0.count).toBe(p0.count - 1);
    expect(l1.count).toBe(l0.count);
  });

  it("answer history the same from either node, in acceptance order", async () => {
    const [a, b] = [await join(0), await join(1)];
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sendOk(i % 2 ? a.socket : b.socket, { content: `h${i}` }),
      ),
    );
    const fromA = await fullHistory(a.socket);
    const fromB = await fullHistory(b.socket);
    expect(fromA).toEqual(fromB);
    const ids = fromA.map((m) => m.id);
    expect([...ids].sort()).toEqual(ids);
    for (const m of sent) expect(ids).toContain(m.id);
    const dm = await sendOk(a.socket, { content: "between us", to: b.user.name });
    expect(await fullHistory(b.socket, a.user.name)).toEqual([dm]);
    expect(await fullHistory(a.socket, b.user.name)).toEqual([dm]);
  });

  it("refuse on one node a nickname held on the other, until it is released", async () => {
    const name = uniqueName("Held");
    const held = await login(url(0), name);
    const socket = connect(url(0), held.token);
    await connected(socket);
    const dropped = new Promise<void>((resolve) => socket.once("disconnect", () => resolve()));
    for (const attempt of [name, name.toUpperCase()]) {
      const res = await fetch(`${url(1)}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: attempt, avatar: "owl" }),
      });
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("name_taken");
    }
    const logout = await fetch(`${url(1)}/api/session`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${held.token}` },
    });
    expect(logout.status).toBe(204);
    await dropped; // the session's socket on the other node is closed too
    expect((await login(url(1), name)).user.name).toBe(name);
  });

  it("de-duplicate a cid resent to the other node", async () => {
    const { token } = await login(url(0));
    const [s0, s1] = [connect(url(0), token), connect(url(1), token)];
    await Promise.all([connected(s0), connected(s1)]);
    const first = await sendOk(s0, { content: "once", cid: "resend-1" });
    expect(await sendOk(s1, { content: "once", cid: "resend-1" })).toEqual(first);
    s0.close();
    s1.close();
  });

  it("a node stopped with SIGTERM exits cleanly and its users leave at once", async () => {
    const extra = await cluster.startNode();
    const watcher = await join(0);
    const leaver = await joinChat(extra.url);
    const left = nextEvent(
      watcher.socket,
      "presence",
      (p) => p.left.some((u) => u.id === leaver.user.id),
      3000,
    );
    expect(await extra.stop()).toBe(0);
    await left;
  });
});
