import type { Message } from "../../common/events";
import { connect, joinChat, login, nextEvent, sendOk, sleep } from "../support/clients";
import { chatter, fullHistory, startCluster, within, type Cluster } from "./harness";

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

it("kill -9 of a node: its users leave presence within 30 s, the others chat on, nothing acked is lost", async () => {
  const [node0, node1] = cluster.nodes;
  const survivors = [await joinChat(node0.url), await joinChat(node0.url)];
  const doomed = [await joinChat(node1.url), await joinChat(node1.url)];
  await sleep(400);

  const acked: Message[] = [];
  const senders = [...survivors, ...doomed].map((c) => chatter(c, acked));
  await sleep(500);

  const doomedIds = new Set(doomed.map((c) => c.user.id));
  const gone = new Set<string>();
  const converged = new Promise<number>((resolve) => {
    survivors[0].socket.on("presence", (p) => {
      for (const u of p.left) if (doomedIds.has(u.id)) gone.add(u.id);
      if (gone.size === doomedIds.size) resolve(p.count);
    });
  });
  const killedAt = Date.now();
  await node1.kill();
  const count = await within(converged, 30_000, -1);
  const seconds = (Date.now() - killedAt) / 1000;
  process.stdout.write(`presence converged ${seconds.toFixed(1)} s after kill -9\n`);
  expect(count).toBe(survivors.length);
  expect(seconds).toBeLessThan(30);

  // The survivors kept chatting all along, and still do.
  await Promise.all(senders.map((s) => s.stop()));
  const afterKill = acked.filter(
    (m) => m.ts > killedAt && survivors.some((c) => c.user.id === m.from.id),
  );
  expect(afterKill.length).toBeGreaterThan(0);
  const heard = nextEvent(survivors[1].socket, "textmsg", (m) => m.content === "still here");
  await sendOk(survivors[0].socket, { content: "still here" });
  await heard;

  const stored = new Set((await fullHistory(survivors[1].socket)).map((m) => m.id));
  const lost = acked.filter((m) => !stored.has(m.id));
  expect(lost).toEqual([]);
  expect(acked.filter((m) => doomedIds.has(m.from.id)).length).toBeGreaterThan(0);

  const { token } = await login(node0.url);
  const fresh = connect(node0.url, token);
  const online = await nextEvent(fresh, "online");
  expect(online.count).toBe(survivors.length + 1);
  expect(online.users.map((u) => u.id)).not.toContain(doomed[0].user.id);
  fresh.close();
  for (const c of survivors) c.socket.close();
}, 60_000);
