// PostgreSQL restarted under traffic: while it is down sends answer `internal` (promptly, not
// hanging), nothing ok-acked is lost, and the node serves again without being restarted.
import type { Message } from "../../common/events";
import { fullHistory, within } from "../cluster/harness";
import { eventually, joinChat, send, sleep, type Client } from "../support/clients";
import { spawnServer, tempDir, type ServerProcess } from "../support/server";
import { startPostgres, type PostgresService } from "../support/services";

let pg: PostgresService;
let node: ServerProcess;
let clients: Client[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  node = await spawnServer({
    DATA_DIR: tempDir("chat-node-"),
    DATABASE_URL: await pg.createDatabase(),
    RATE_LIMIT_MESSAGES: "1000000",
  });
  clients = [await joinChat(node.url), await joinChat(node.url)];
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.socket.close();
  await node?.kill();
  await pg?.dispose();
});

it("answers internal while PostgreSQL is down, loses nothing acked, recovers by itself", async () => {
  const acked: Message[] = [];
  const refused: string[] = [];
  let running = true;
  const traffic = clients.map(async (c) => {
    for (let i = 0; running; i++) {
      const ack = await within(send(c.socket, { content: `${c.user.name} ${i}` }), 5000, null);
      if (ack === null) refused.push("no answer in 5 s");
      else if (ack.ok) acked.push(ack.message);
      else refused.push(ack.error.code);
      await sleep(20);
    }
  });
  await sleep(500);
  const beforeOutage = acked.length;

  await pg.stop(); // fast shutdown: every connection of the pool is cut
  await sleep(1500);
  const duringOutage = refused.length;
  await pg.start();
  // Serving again, on the same process and the same sockets.
  const ackedAtRestart = acked.length;
  // Generous: the pool reconnects at once, but a loaded CI machine answers slowly.
  await eventually(() => acked.length > ackedAtRestart + 20, 60_000);
  running = false;
  await Promise.all(traffic);

  expect(beforeOutage).toBeGreaterThan(0);
  expect(duringOutage).toBeGreaterThan(0);
  expect(new Set(refused)).toEqual(new Set(["internal"]));
  for (const c of clients) expect(c.socket.connected).toBe(true);

  const stored = new Set((await fullHistory(clients[0].socket)).map((m) => m.id));
  expect(acked.filter((m) => !stored.has(m.id))).toEqual([]);
  expect(node.child.exitCode).toBeNull();
}, 120_000);
