// What the group scenarios (fan-out, ramp) share: `senders` of the clients send group
// messages; they live in worker 0, the receivers in workers 1..W, so receivers never share
// an event loop with senders. Every sender is also a receiver.
import { sleep } from "../lib.mjs";
import { quiesce } from "../harness/proc.mjs";
import { authsFor, connectAll, makeUsers, spawnWorker } from "../harness/workers.mjs";

/** The group scenarios' references: the tuned bare broadcast server, and the tutorial's. */
export const GROUP_REFERENCES = ["tuned", "tutorial"];

export async function setupGroup(ctx, n, nSenders) {
  const { srv, opts } = ctx;
  const users = makeUsers(n);
  const auths = await authsFor(srv, users, opts);
  const nRecvWorkers = Math.max(1, Math.min(opts.workers, n - nSenders));
  ctx.workers = Array.from({ length: nRecvWorkers + 1 }, spawnWorker);
  ctx.receiverWorkers = ctx.workers.slice(1); // worker 0 holds the senders
  const slices = ctx.workers.map(() => []);
  users.forEach((u, i) => {
    const c = { name: u.name, auth: auths[i], sender: i < nSenders ? i : -1, to: null };
    slices[i < nSenders ? 0 : 1 + (i % nRecvWorkers)].push(c);
  });
  const conn = await connectAll(srv, ctx.workers, slices, nSenders, opts);
  if (conn.failed)
    throw new Error(`${conn.failed} of ${n} connects failed: ${JSON.stringify(conn.errors)}`);
  await sleep(opts.settle * 1000);
  await quiesce(srv.pid);
  return { n, nSenders };
}

export function groupRates(nSenders, total) {
  const rates = {};
  for (let s = 0; s < nSenders; s++) rates[s] = total / nSenders;
  return rates;
}
