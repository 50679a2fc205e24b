import type { Message } from "../../common/events";
import {
  connect,
  eventually,
  joinChat,
  login,
  nextEvent,
  sendOk,
  sleep,
  type Client,
} from "../support/clients";
import { startRedis } from "../support/services";
import { chatter, fullHistory, startCluster, type Cluster } from "./harness";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

it("restart of Redis during traffic: nodes reconnect, nothing acked is lost", async () => {
  const [node0, node1] = cluster.nodes;
  const clients = [await joinChat(node0.url), await joinChat(node1.url)];
  const acked: Message[] = [];
  const traffic = clients.map((c: Client) => chatter(c, acked, 10, 3000));
  await sleep(500);

  // kill -9 and start again on the same port: Redis comes back empty (no persistence).
  const { port, dir } = cluster.redis;
  await cluster.redis.stop("SIGKILL");
  const downAt = acked.length;
  await sleep(1000);
  cluster.redis = await startRedis(port, dir);
  await sleep(1500);
  await Promise.all(traffic.map((t) => t.stop()));
  expect(acked.length).toBeGreaterThan(downAt);

  // Cross-node delivery works again, both ways.
  for (const [from, to] of [
    [clients[0], clients[1]],
    [clients[1], clients[0]],
  ]) {
    const content = `after restart from ${from.user.name}`;
    await eventually(async () => {
      const heard = nextEvent(to.socket, "textmsg", (m) => m.content === content, 1000);
      await sendOk(from.socket, { content });
      return heard.then(
        () => true,
        () => false,
      );
    }, 15_000);
  }

  // Presence was rebuilt from the nodes' own state: a newcomer sees everyone.
  await eventually(async () => {
    const { token } = await login(node1.url);
    const s = connect(node1.url, token);
    const online = await nextEvent(s, "online");
    s.close();
    return online.count === clients.length + 1;
  }, 10_000);

  for (const c of clients) {
    const stored = new Set((await fullHistory(c.socket)).map((m) => m.id));
    expect(acked.filter((m) => !stored.has(m.id))).toEqual([]);
  }
  for (const c of clients) c.socket.close();
}, 60_000);
