// Fan-out: 1,000 clients, 10 of them sending group messages at 200 msg/s in total (200,000
// deliveries/s offered: overload on 2 cores), then up to `--drain` s to drain. `--drop N`
// cuts N receivers halfway through; with recovery they get everything back.
import { runPhase, warmup } from "../harness/phase.mjs";
import { GROUP_REFERENCES, groupRates, setupGroup } from "./group.mjs";

async function run(ctx) {
  const { opts } = ctx;
  const n = opts.clients;
  const nSenders = Math.min(opts.senders, n);
  await setupGroup(ctx, n, nSenders);
  await warmup(ctx, groupRates(nSenders, Math.min(opts.rate, opts.rampStart)), n);
  const res = await runPhase(ctx, {
    rates: groupRates(nSenders, opts.rate),
    offered: opts.rate,
    durationS: opts.duration,
    recipients: n,
    drainMaxS: opts.drain,
    stallS: 3,
    drop: opts.drop,
  });
  return { clients: n, senders: nSenders, dropped: opts.drop, ...res };
}

export default {
  name: "fanout",
  references: GROUP_REFERENCES,
  run,
  figures: [
    ["delivered/s", (r) => r.deliveredPerSec],
    ["delivery p50 ms", (r) => r.latencyMs.p50],
    ["delivery p99 ms", (r) => r.latencyMs.p99],
    ["ack p50 ms", (r) => r.ackMs.p50],
    ["ack p99 ms", (r) => r.ackMs.p99],
    ["undelivered at end", (r) => r.lostDeliveries],
    ["reordered", (r) => r.reorders],
    [
      "disconnects / recovered",
      (r) => (r.disconnects ? `${r.disconnects} / ${r.recoveredSessions}` : 0),
    ],
    ["server CPU µs/delivery", (r) => r.cpuUsPerDelivery],
    ["server RSS MB", (r) => r.serverRssMB],
    ["other processes CPU %", (r) => r.otherCpuPct],
  ],
};
