// Private: 1,000 users in 500 pairs, each whispering to its partner (2,000 msg/s in total,
// 4,000 deliveries/s: sender + recipient). The matching reference is the bare private relay.
import { sleep } from "../lib.mjs";
import { runPhase, warmup } from "../harness/phase.mjs";
import { quiesce } from "../harness/proc.mjs";
import { authsFor, connectAll, makeUsers, spawnWorker } from "../harness/workers.mjs";

async function run(ctx) {
  const { opts, srv } = ctx;
  const n = opts.clients - (opts.clients % 2);
  const users = makeUsers(n);
  const auths = await authsFor(srv, users, opts);
  const nWorkers = Math.max(1, opts.workers);
  ctx.workers = Array.from({ length: nWorkers }, spawnWorker);
  const slices = ctx.workers.map(() => []);
  const rates = {};
  users.forEach((u, i) => {
    const partner = users[i ^ 1].name;
    slices[i % nWorkers].push({ name: u.name, auth: auths[i], sender: i, to: partner });
    rates[i] = opts.privateRate / n;
  });
  const conn = await connectAll(srv, ctx.workers, slices, n, opts);
  if (conn.failed)
    throw new Error(`${conn.failed} of ${n} connects failed: ${JSON.stringify(conn.errors)}`);
  await sleep(opts.settle * 1000);
  await quiesce(srv.pid);
  await warmup(ctx, rates, 2);
  const res = await runPhase(ctx, {
    rates,
    offered: opts.privateRate,
    durationS: opts.duration,
    recipients: 2,
    drainMaxS: opts.drain,
    stallS: 3,
  });
  return { clients: n, pairs: n / 2, ...res };
}

export const MESSAGE_FIGURES = [
  ["delivered/s", (r) => r.deliveredPerSec],
  ["delivery p50 ms", (r) => r.latencyMs.p50],
  ["delivery p99 ms", (r) => r.latencyMs.p99],
  ["ack p99 ms", (r) => r.ackMs.p99],
  ["lost deliveries", (r) => r.lostDeliveries],
  ["reordered", (r) => r.reorders],
  ["server CPU µs/delivery", (r) => r.cpuUsPerDelivery],
  ["server CPU % of a core", (r) => r.serverCpuPct],
  ["other processes CPU %", (r) => r.otherCpuPct],
];

export default {
  name: "private",
  references: ["private-relay", "tuned"],
  run,
  figures: MESSAGE_FIGURES,
};
