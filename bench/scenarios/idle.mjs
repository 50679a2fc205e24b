// Idle: `--idle-clients` (10,000) users log in (ours) and connect, then sit idle. RSS per
// connection = (RSS after − RSS before) ÷ connections, after 2 s and a quiet server. Connect
// time runs from the first login to the last connect ack.
import { round, sleep } from "../lib.mjs";
import { quiesce, readCpuUs, readMem, readSystemBusyUs, waitForQuiet } from "../harness/proc.mjs";
import { authsFor, connectAll, makeUsers, spawnWorker, workersCpuUs } from "../harness/workers.mjs";
import { GROUP_REFERENCES } from "./group.mjs";

async function run(ctx) {
  const { opts, srv } = ctx;
  const n = opts.idleClients;
  const users = makeUsers(n);
  const nWorkers = Math.max(opts.workers, Math.ceil(n / 1250));
  ctx.workers = Array.from({ length: nWorkers }, spawnWorker);
  await sleep(500);
  await quiesce(srv.pid);
  await waitForQuiet(srv.pid, opts);
  const mem0 = readMem(srv.pid);
  const gen0 = await workersCpuUs(ctx.workers);
  const cpu0 = readCpuUs(srv.pid);
  const sys0 = readSystemBusyUs();
  const t0 = Date.now();
  const auths = await authsFor(srv, users, opts);
  const tLogin = Date.now();
  const cpuLogin = readCpuUs(srv.pid) - cpu0;
  const slices = ctx.workers.map(() => []);
  users.forEach((u, i) =>
    slices[i % nWorkers].push({ name: u.name, auth: auths[i], sender: -1, to: null }),
  );
  const conn = await connectAll(srv, ctx.workers, slices, 0, opts);
  const tConn = Date.now();
  const cpuConnect = readCpuUs(srv.pid) - cpu0;
  const sysConnect = readSystemBusyUs() - sys0;
  const genConnect = (await workersCpuUs(ctx.workers)) - gen0;
  await sleep(Math.max(2, opts.settle) * 1000);
  await quiesce(srv.pid);
  const mem1 = readMem(srv.pid);
  const cpu1 = readCpuUs(srv.pid);
  const stats = await Promise.all(ctx.workers.map((w) => w.request({ type: "collect" }, "stats")));
  return {
    clients: n,
    connected: conn.ok,
    connectFailed: conn.failed,
    connectErrors: conn.errors,
    loginMs: srv.kind === "ours" ? tLogin - t0 : 0,
    cpuUsPerLogin: srv.kind === "ours" ? round(cpuLogin / n, 1) : 0,
    connectMs: tConn - t0,
    connectsPerSec: Math.round((1000 * conn.ok) / Math.max(1, tConn - t0)),
    serverRssBeforeMB: round(mem0.rss / 2 ** 20),
    serverRssAfterMB: round(mem1.rss / 2 ** 20),
    rssPerConnKB: round((mem1.rss - mem0.rss) / Math.max(1, conn.ok) / 1024, 2),
    serverCpuConnectS: round(cpuConnect / 1e6, 2),
    cpuUsPerConnection: round(cpuConnect / Math.max(1, conn.ok), 1),
    serverCpuSettleS: round((cpu1 - cpu0 - cpuConnect) / 1e6, 2),
    generatorCpuPct: round((100 * genConnect) / 1000 / Math.max(1, tConn - t0)),
    otherCpuPct: round(
      Math.max(0, (100 * (sysConnect - cpuConnect - genConnect)) / 1000 / Math.max(1, tConn - t0)),
    ),
    eventsReceived: stats.reduce((a, s) => a + s.otherEvents, 0),
    disconnects: stats.reduce((a, s) => a + s.disconnects, 0),
  };
}

export default {
  name: "idle",
  references: GROUP_REFERENCES,
  run,
  figures: [
    ["RSS KB/connection", (r) => r.rssPerConnKB],
    ["login+connect ms", (r) => r.connectMs],
    ["server CPU µs/connection", (r) => r.cpuUsPerConnection],
    ["of which login (HTTP)", (r) => r.cpuUsPerLogin],
    ["other processes CPU %", (r) => r.otherCpuPct],
  ],
};
