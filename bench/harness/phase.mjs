// The one measurement helper: a phase in which the senders send at given per-sender rates
// for `durationS`, then the driver waits until every expected delivery arrived (or the
// drain limit, or a stall), and merges what the workers counted into one result: deliveries,
// losses, order, latency and ack histograms, server CPU and memory, generator and other CPU.
import { newHist, histAdd, histPercentileMs, histMaxMs, nowUs, round, sleep } from "../lib.mjs";
import { quiesce, readCpuUs, readMem, readSystemBusyUs, waitForQuiet } from "./proc.mjs";
import { sumOwnCpu, workersCpuUs } from "./workers.mjs";

let phaseCounter = 0;

export async function runPhase(
  ctx,
  { rates, offered, durationS, recipients, drainMaxS, stallS, drop = 0 },
) {
  const { srv, workers, opts } = ctx;
  const phase = ++phaseCounter;
  await waitForQuiet(srv.pid, opts);
  const gen0 = await workersCpuUs(workers);
  const cpu0 = readCpuUs(srv.pid);
  const sys0 = readSystemBusyUs();
  const t0 = nowUs();
  const startAt = t0 + 300_000;
  const endAt = startAt + durationS * 1e6;
  for (const w of workers)
    w.child.send({ type: "phase", phase, startAt, endAt, rates, pad: opts.pad });
  if (drop > 0) {
    // halfway through the window, drop `drop` receivers (spread over the workers)
    await sleep((startAt + (endAt - startAt) / 2 - nowUs()) / 1000);
    const targets = ctx.receiverWorkers ?? workers;
    targets.forEach((w, i) => {
      const count = Math.floor(drop / targets.length) + (i < drop % targets.length ? 1 : 0);
      if (count > 0) w.child.send({ type: "drop", count });
    });
  }
  await sleep((endAt - nowUs()) / 1000);
  const deadline = endAt + drainMaxS * 1e6;
  let lastReceived = -1;
  let lastChange = nowUs();
  let drainComplete = false;
  for (;;) {
    const now = nowUs();
    const prog = workers.map((w) => w.progress).filter((p) => p && p.phase === phase);
    if (prog.length === workers.length) {
      const sent = prog.reduce((n, p) => n + p.sent, 0);
      const received = prog.reduce((n, p) => n + p.received, 0);
      const acked = prog.reduce((n, p) => n + p.acked, 0);
      const sendingDone = prog.every((p) => p.sendingDone);
      if (sendingDone && received >= sent * recipients && acked >= sent) {
        drainComplete = true;
        break;
      }
      if (received !== lastReceived) {
        lastReceived = received;
        lastChange = now;
      }
    }
    if (now >= deadline) break;
    if (now > endAt && now - lastChange > stallS * 1e6) break;
    if (srv.isExited()) throw new Error(`server exited during the run:\n${srv.tail.join("\n")}`);
    await sleep(50);
  }
  const tEnd = nowUs();
  const cpu1 = readCpuUs(srv.pid);
  const sys1 = readSystemBusyUs();
  const mem = readMem(srv.pid);
  const stats = await Promise.all(workers.map((w) => w.request({ type: "collect" }, "stats")));
  const gen1 = stats.reduce((n, s) => n + s.cpu.user + s.cpu.system, 0) + sumOwnCpu();

  // merge
  const hist = newHist();
  const ackHist = newHist();
  const got = new Map();
  const sum = (k) => stats.reduce((n, s) => n + s[k], 0);
  const ackErrors = {};
  for (const s of stats) {
    histAdd(hist, s.hist);
    histAdd(ackHist, s.ackHist);
    for (const [sender, arr] of s.counts) {
      const cur = got.get(sender);
      if (!cur) got.set(sender, Uint32Array.from(arr));
      else if (cur.length >= arr.length) for (let i = 0; i < arr.length; i++) cur[i] += arr[i];
      else {
        const grown = Uint32Array.from(arr);
        for (let i = 0; i < cur.length; i++) grown[i] += cur[i];
        got.set(sender, grown);
      }
    }
    for (const [k, v] of Object.entries(s.ackErrors)) ackErrors[k] = (ackErrors[k] || 0) + v;
  }
  let ackedOk = 0;
  let unacked = 0;
  let rejected = 0;
  let skipped = 0;
  let lostDeliveries = 0;
  let lostMessages = 0;
  let duplicates = 0;
  for (const s of stats) {
    for (const sd of s.senders) {
      const g = got.get(sd.idx);
      for (let q = 0; q < sd.sent; q++) {
        const st = sd.ack[q];
        const n = g && q < g.length ? g[q] : 0;
        if (st === 1) {
          ackedOk++;
          if (n < recipients) {
            lostDeliveries += recipients - n;
            lostMessages++;
          } else duplicates += n - recipients;
        } else if (st === 0) unacked++;
        else if (st === 2) rejected++;
        else skipped++;
      }
    }
  }
  const delivered = sum("received");
  const serverCpuUs = cpu1 - cpu0;
  const wallUs = tEnd - t0;
  return {
    offeredMsgPerSec: offered,
    durationS,
    sent: sum("sentTotal"),
    ackedOk,
    rejected,
    ackErrors,
    unacked,
    skippedWhileDisconnected: skipped,
    deliveries: delivered,
    expectedDeliveries: ackedOk * recipients,
    deliveredPerSec: Math.round(sum("inWindow") / durationS),
    lostDeliveries,
    lostMessages,
    duplicates,
    reorders: sum("reorders"),
    latencyMs: {
      p50: histPercentileMs(hist, 50),
      p90: histPercentileMs(hist, 90),
      p99: histPercentileMs(hist, 99),
      p999: histPercentileMs(hist, 99.9),
      max: histMaxMs(hist),
    },
    ackMs: {
      p50: histPercentileMs(ackHist, 50),
      p99: histPercentileMs(ackHist, 99),
      max: histMaxMs(ackHist),
    },
    drainComplete,
    drainS: round(Math.max(0, tEnd - endAt) / 1e6, 2),
    serverCpuS: round(serverCpuUs / 1e6, 2),
    serverCpuPct: round((100 * serverCpuUs) / wallUs),
    cpuUsPerDelivery: delivered ? round(serverCpuUs / delivered, 2) : null,
    serverRssMB: round(mem.rss / 2 ** 20),
    serverRssPeakMB: round(mem.hwm / 2 ** 20),
    generatorCpuPct: round((100 * (gen1 - gen0)) / wallUs),
    // CPU used by anything else on the machine meanwhile (other jobs skew the figures)
    otherCpuPct: round(Math.max(0, (100 * (sys1 - sys0 - serverCpuUs - (gen1 - gen0))) / wallUs)),
    disconnects: sum("disconnects"),
    reconnects: sum("reconnects"),
    recoveredSessions: sum("recoveredSessions"),
    connectedAtEnd: sum("connectedNow"),
    binaryFrames: sum("binaryFrames"),
  };
}

/** Unmeasured load at a rate every server sustains, so the measurement starts warm. */
export async function warmup(ctx, rates, recipients) {
  if (!(ctx.opts.warmup > 0)) return;
  await runPhase(ctx, {
    rates,
    offered: 0,
    durationS: ctx.opts.warmup,
    recipients,
    drainMaxS: 3,
    stallS: 1,
  });
  await quiesce(ctx.srv.pid);
}
