#!/usr/bin/env node
// The benchmark driver: for each scenario, for each server (ours, tutorial, tuned), start a
// fresh server pinned to core 0, run the load from worker processes pinned to core 1,
// print one JSON line, and at the end a summary table with our ratio to each reference.
// See bench/README.md.
import { spawn, spawnSync, fork } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { socketUrl } from "./client.mjs";
import {
  AVATARS,
  newHist,
  histAdd,
  histPercentileMs,
  histMaxMs,
  mapLimit,
  nowUs,
  round,
  sleep,
} from "./lib.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const ALL_SCENARIOS = ["fanout", "ramp", "idle", "private"];
const ALL_SERVERS = ["ours", "tutorial", "tuned"];

// ---------------------------------------------------------------------------------------
// Options: --name value, --name=value, or BENCH_NAME in the environment (flag wins).

const DEFAULTS = {
  scenario: ALL_SCENARIOS.join(","),
  server: ALL_SERVERS.join(","),
  duration: 10, // s, fan-out and private send window
  clients: 1000, // fan-out, ramp, private
  senders: 10, // fan-out, ramp: how many of the clients send
  rate: 200, // fan-out: group msg/s offered
  drain: 30, // s, max wait after the send window for fan-out and private
  idleClients: 5000,
  privateRate: 2000, // total private msg/s
  rampStart: 20, // msg/s
  rampFactor: 1.25,
  rampStep: 3, // s per step
  rampMax: 2000, // msg/s
  rampP99: 100, // ms
  workers: 4, // receiver worker processes (idle: at least one per 1,250 clients)
  loginConcurrency: 50,
  connectConcurrency: 25, // per worker
  pad: 0, // extra content characters per message
  drop: 0, // fan-out: receivers whose sockets are cut halfway through the window
  settle: 1, // s after connecting, before measuring
  warmup: 2, // s of unmeasured load before measuring (JIT, buffers, heap)
  quietWait: 60, // s, total budget for waiting until other processes are quiet
  quietThreshold: 15, // % of a core that other processes may use when we start measuring
  pin: true,
  nice: 0, // run server and generator under `nice -n N` (negative needs root)
  prof: false, // run the server under --cpu-prof (profiles in bench/results/profiles)
  out: "", // results JSON file; default bench/results/bench-<time>.json
  help: false,
};

function parseOptions(argv) {
  const opts = { ...DEFAULTS };
  const camel = (s) => s.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const snake = (s) => s.replace(/[A-Z]/g, (c) => "_" + c).toUpperCase();
  const coerce = (key, v) => {
    if (typeof DEFAULTS[key] === "number") {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--${key}: not a number: ${v}`);
      return n;
    }
    if (typeof DEFAULTS[key] === "boolean") return !["0", "false", "no", "off"].includes(String(v));
    return String(v);
  };
  for (const key of Object.keys(DEFAULTS)) {
    const env = process.env["BENCH_" + snake(key)];
    if (env !== undefined && env !== "") opts[key] = coerce(key, env);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) throw new Error(`unexpected argument: ${arg}`);
    let [name, value] = arg.slice(2).split(/=(.*)/s, 2);
    if (name.startsWith("no-")) {
      name = name.slice(3);
      value = "false";
    }
    const key = camel(name);
    if (!(key in DEFAULTS)) throw new Error(`unknown option --${name} (see --help)`);
    if (value === undefined) {
      if (typeof DEFAULTS[key] === "boolean") value = "true";
      else value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    opts[key] = coerce(key, value);
  }
  const aliases = { "fan-out": "fanout", reference: "tutorial", tutorial: "tutorial" };
  const list = (v, all, what) => {
    const items = v === "all" ? all : v.split(",").map((s) => aliases[s.trim()] ?? s.trim());
    for (const s of items) if (!all.includes(s)) throw new Error(`unknown ${what}: ${s}`);
    return items;
  };
  opts.scenarios = list(opts.scenario, ALL_SCENARIOS, "scenario");
  opts.servers = list(opts.server, ALL_SERVERS, "server");
  return opts;
}

const HELP = `usage: node bench/run.mjs [options]      (npm run bench -- [options])

  --scenario LIST        fanout,ramp,idle,private (default: all)
  --server LIST          ours,tutorial,tuned (default: all)
  --duration S           fan-out and private send window (default 10)
  --clients N            clients in fan-out, ramp and private (default 1000)
  --senders N            senders among them in fan-out and ramp (default 10)
  --rate R               fan-out offered group msg/s (default 200)
  --drain S              max wait for deliveries after the send window (default 30)
  --idle-clients N       idle scenario users (default 5000)
  --private-rate R       private msg/s in total (default 2000)
  --ramp-start R         first ramp rate, msg/s (default 20)
  --ramp-factor F        rate multiplier per ramp step (default 1.25), one bisection at the end
  --ramp-step S          seconds per ramp step (default 3)
  --ramp-max R           stop the ramp at this rate (default 2000)
  --ramp-p99 MS          the ramp's latency bound (default 100)
  --workers N            receiver worker processes (default 4)
  --login-concurrency N  logins in flight (default 50)
  --connect-concurrency N  connects in flight per worker (default 25)
  --pad N                extra characters per message content (default 0)
  --drop N               fan-out: cut N receivers' sockets halfway through the window; they
                         reconnect (with Socket.IO connection state recovery where offered)
                         and "lost deliveries" shows whether they got everything (default 0)
  --settle S             pause after connecting, before measuring (default 1)
  --warmup S             unmeasured load before measuring, 0 to skip (default 2)
  --quiet-wait S         total time the run may wait for other processes to go quiet
                         before a measurement (default 60; 0: never wait)
  --quiet-threshold PCT  "quiet": other processes use less than PCT % of a core (default 15)
  --no-pin               do not pin server/generator with taskset
  --nice N               run server and generator in their own session (scheduler
                         autogroup) at nice N, e.g. -10 as root, to shield the
                         measurement from other jobs on the machine (default 0: off)
  --prof                 run the server with --cpu-prof (bench/results/profiles/)
  --out FILE             results JSON (default bench/results/bench-<time>.json)
Every option can also be set as BENCH_<NAME> in the environment, e.g. BENCH_DURATION=5.
`;

// ---------------------------------------------------------------------------------------
// Logging: progress on stderr, results (JSON lines, table) on stdout.

const T0 = Date.now();
function log(...args) {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${t}s] ${args.join(" ")}\n`);
}

// ---------------------------------------------------------------------------------------
// /proc readings

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number((r.stdout || "").trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of a process (all its threads), in µs. */
function readCpuUs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

/** { rss, hwm } in bytes. */
function readMem(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+)`, "m")) || [])[1] || 0);
  return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
}

/** Busy time of all CPUs together (everything but idle and iowait), in µs. */
function readSystemBusyUs() {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return ((total - v[3] - v[4]) * 1e6) / CLK_TCK;
}

function readAutogroup() {
  try {
    return fs.readFileSync("/proc/self/autogroup", "utf8").trim();
  } catch {
    return "no autogroup";
  }
}

function openFilesLimit() {
  try {
    const line = fs
      .readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const [soft, hard] = line.trim().split(/\s+/).slice(3, 5);
    return { soft: Number(soft) || Infinity, hard: Number(hard) || Infinity };
  } catch {
    return { soft: Infinity, hard: Infinity };
  }
}

/** Waits until the server has been (almost) idle for one 200 ms interval, at most maxMs. */
async function quiesce(pid, maxMs = 10_000) {
  const until = Date.now() + maxMs;
  let prev = readCpuUs(pid);
  while (Date.now() < until) {
    await sleep(200);
    const cur = readCpuUs(pid);
    if (cur - prev <= 10_000) return; // <= 5% of a core
    prev = cur;
  }
}

let quietBudgetMs = 0;

/**
 * Other jobs on the machine (tests, browsers) skew every figure. Before a measurement, wait
 * until everything but the server uses less than `quietThreshold` % of a core over 500 ms;
 * the waits of a whole run share one budget (`--quiet-wait`), so the run stays bounded.
 */
async function waitForQuiet(pid, opts) {
  let waited = 0;
  let other = 0;
  while (quietBudgetMs > 0) {
    const s0 = readSystemBusyUs();
    const c0 = readCpuUs(pid);
    await sleep(500);
    other = ((readSystemBusyUs() - s0 - (readCpuUs(pid) - c0)) / 500_000) * 100;
    if (other < opts.quietThreshold) break;
    waited += 500;
    quietBudgetMs -= 500;
  }
  if (waited > 0)
    log(
      `  waited ${waited / 1000} s for other processes to calm down (now ${round(other)}% of a core` +
        `${quietBudgetMs <= 0 ? "; wait budget used up, measuring anyway" : ""})`,
    );
}

// ---------------------------------------------------------------------------------------
// Servers

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpRequest(port, method, urlPath, body, agent) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        agent,
        headers: data ? { "content-type": "application/json", "content-length": data.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, json, text });
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("request timeout")));
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

const SERVER_SCRIPTS = {
  ours: path.join(ROOT, "dist/server/index.js"),
  tutorial: path.join(HERE, "reference/tutorial.mjs"),
  tuned: path.join(HERE, "reference/tuned.mjs"),
};

async function startServer(kind, opts) {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1" };
  delete env.BENCH_PINNED;
  delete env.BENCH_CHILD;
  let dataDir = null;
  if (kind === "ours") {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-bench-"));
    Object.assign(env, {
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      // few senders offer high rates: lift the per-user limit (it stays on)
      RATE_LIMIT_MESSAGES: "1000000000",
      RATE_LIMIT_WINDOW_MS: "1000",
      // Every simulated user logs in from 127.0.0.1.
      LOGIN_RATE_LIMIT: "0",
    });
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
  } else if (kind === "tutorial") {
    // the tutorial does not install the native add-ons: tell ws to ignore them
    env.WS_NO_BUFFER_UTIL = "1";
    env.WS_NO_UTF_8_VALIDATE = "1";
  }
  const nodeArgs = [];
  if (opts.prof) {
    const dir = path.join(HERE, "results", "profiles");
    fs.mkdirSync(dir, { recursive: true });
    nodeArgs.push(
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`,
    );
  }
  const argv = [process.execPath, ...nodeArgs, SERVER_SCRIPTS[kind]];
  if (opts.pinned) argv.unshift("taskset", "-c", "0");
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail = [];
  const keep = (chunk) => {
    for (const line of chunk.toString("utf8").split("\n")) if (line) tail.push(line);
    if (tail.length > 40) tail.splice(0, tail.length - 40);
  };
  let listeningLine = false;
  child.stdout.on("data", (c) => {
    if (!listeningLine && /listening|"msg":"listening"/.test(c.toString("utf8")))
      listeningLine = true;
    keep(c);
  });
  child.stderr.on("data", keep);
  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.on("exit", (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exitPromise;
      clearTimeout(t);
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // ready: GET /healthz answers 200 (both kinds serve it)
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`${kind} server exited (${JSON.stringify(exited)}):\n${tail.join("\n")}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${kind} server not ready in 30 s:\n${tail.join("\n")}`);
    }
    try {
      const res = await httpRequest(port, "GET", "/healthz");
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  let comm = "";
  try {
    comm = fs.readFileSync(`/proc/${child.pid}/comm`, "utf8").trim();
  } catch {
    // gone
  }
  if (comm && comm !== "node" && !comm.startsWith("node"))
    log(`warning: server pid runs "${comm}", not node`);
  return { kind, pid: child.pid, port, stop, tail, listeningLine, isExited: () => exited };
}

// ---------------------------------------------------------------------------------------
// Logins (ours only; the references take the name in the handshake)

async function authsFor(srv, users, opts) {
  if (srv.kind !== "ours") return users.map((u) => ({ name: u.name }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.loginConcurrency });
  const errors = {};
  try {
    const auths = await mapLimit(users, opts.loginConcurrency, async (u) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const res = await httpRequest(srv.port, "POST", "/api/session", u, agent);
          if (res.status === 201 && res.json && res.json.token) return { token: res.json.token };
          const key = `${res.status} ${res.json?.error?.code ?? res.text.slice(0, 60)}`;
          errors[key] = (errors[key] || 0) + 1;
          if (res.status < 500 && res.status !== 429) return null;
        } catch (err) {
          errors[err.message] = (errors[err.message] || 0) + 1;
        }
        await sleep(200 * (attempt + 1));
      }
      return null;
    });
    const failed = auths.filter((a) => a === null).length;
    if (failed)
      throw new Error(`${failed} of ${users.length} logins failed: ${JSON.stringify(errors)}`);
    return auths;
  } finally {
    agent.destroy();
  }
}

function makeUsers(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `u${i}`,
    avatar: AVATARS[i % AVATARS.length],
  }));
}

// ---------------------------------------------------------------------------------------
// Workers

function spawnWorker() {
  const child = fork(path.join(HERE, "worker.mjs"), [], {
    serialization: "advanced",
    execArgv: process.env.BENCH_WORKER_NODE_ARGS
      ? process.env.BENCH_WORKER_NODE_ARGS.split(" ")
      : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const w = { child, progress: null, waiters: [], exited: false };
  child.on("message", (msg) => {
    if (msg.type === "progress") {
      w.progress = msg;
      return;
    }
    if (msg.type === "fatal") {
      for (const x of w.waiters.splice(0)) x.reject(new Error(`worker: ${msg.error}`));
      return;
    }
    const i = w.waiters.findIndex((x) => x.type === msg.type);
    if (i >= 0) w.waiters.splice(i, 1)[0].resolve(msg);
  });
  child.on("exit", (code) => {
    w.exited = true;
    for (const x of w.waiters.splice(0)) x.reject(new Error(`worker exited (${code})`));
  });
  w.request = (msg, replyType, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`worker: no ${replyType} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      w.waiters.push({
        type: replyType,
        resolve: (v) => (clearTimeout(t), resolve(v)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      child.send(msg);
    });
  return w;
}

async function closeWorkers(workers) {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          if (w.exited) return resolve();
          const t = setTimeout(() => (w.child.kill("SIGKILL"), resolve()), 3000);
          w.child.once("exit", () => (clearTimeout(t), resolve()));
          try {
            w.child.send({ type: "close" });
          } catch {
            w.child.kill("SIGKILL");
          }
        }),
    ),
  );
}

/** Sends each worker its clients and waits until all are connected. */
async function connectAll(srv, workers, slices, nSenders, opts) {
  const replies = await Promise.all(
    workers.map((w, i) =>
      w.request(
        {
          type: "init",
          url: socketUrl(srv.port),
          clients: slices[i],
          nSenders,
          connectConcurrency: opts.connectConcurrency,
          reconnect: true,
        },
        "connected",
        300_000,
      ),
    ),
  );
  const ok = replies.reduce((n, r) => n + r.ok, 0);
  const failed = replies.reduce((n, r) => n + r.failed, 0);
  const errors = {};
  for (const r of replies)
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] || 0) + v;
  return { ok, failed, errors };
}

async function workersCpuUs(workers) {
  const replies = await Promise.all(workers.map((w) => w.request({ type: "cpu" }, "cpu")));
  const own = process.cpuUsage();
  return replies.reduce((n, r) => n + r.cpu.user + r.cpu.system, own.user + own.system);
}

// ---------------------------------------------------------------------------------------
// One measured phase: senders send for `durationS` at the given per-sender rates, then we
// wait until every expected delivery arrived (or the drain limit), then collect.

let phaseCounter = 0;

async function runPhase(
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

function sumOwnCpu() {
  const own = process.cpuUsage();
  return own.user + own.system;
}

// ---------------------------------------------------------------------------------------
// Scenarios

/** Group scenarios: `senders` of the clients send; they live in worker 0, receivers in 1..W. */
async function setupGroup(ctx, n, nSenders) {
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

function groupRates(nSenders, total) {
  const rates = {};
  for (let s = 0; s < nSenders; s++) rates[s] = total / nSenders;
  return rates;
}

/** Unmeasured load at a rate every server sustains, so the measurement starts warm. */
async function warmup(ctx, rates, recipients) {
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

async function scenarioFanout(ctx) {
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

function rampPass(res, opts) {
  return (
    res.drainComplete &&
    res.lostDeliveries === 0 &&
    res.unacked === 0 &&
    res.rejected === 0 &&
    res.skippedWhileDisconnected === 0 &&
    res.reorders === 0 &&
    res.latencyMs.p99 !== null &&
    res.latencyMs.p99 < opts.rampP99
  );
}

async function scenarioRamp(ctx) {
  const { opts, srv } = ctx;
  const n = opts.clients;
  const nSenders = Math.min(opts.senders, n);
  await setupGroup(ctx, n, nSenders);
  await warmup(ctx, groupRates(nSenders, opts.rampStart), n);
  const steps = [];
  let best = null;
  let fail = null;
  // A rate passes when one of two tries passes: a single latency spike (a GC pause, another
  // process on the machine) should not end the ramp.
  // A failure while other processes used much CPU is inconclusive and does not count (at
  // most 2 such retries per rate, 4 per ramp).
  let noisyLeft = 4; // per ramp, to keep the run bounded
  const step = async (rate) => {
    let noisy = 0;
    for (let attempt = 1; attempt <= 2;) {
      const r = await tryRate(rate, attempt + noisy);
      if (r.pass) return true;
      if (r.otherCpuPct > opts.quietThreshold * 2 && noisy < 2 && noisyLeft > 0) {
        noisy++;
        noisyLeft--;
      } else attempt++;
    }
    fail = fail === null ? rate : Math.min(fail, rate);
    return false;
  };
  const tryRate = async (rate, attempt) => {
    const res = await runPhase(ctx, {
      rates: groupRates(nSenders, rate),
      offered: rate,
      durationS: opts.rampStep,
      recipients: n,
      drainMaxS: 2,
      stallS: 1,
    });
    const pass = rampPass(res, opts);
    steps.push({
      rate,
      attempt,
      pass,
      deliveredPerSec: res.deliveredPerSec,
      p99: res.latencyMs.p99,
      ackP99: res.ackMs.p99,
      lost: res.lostDeliveries,
      cpuUsPerDelivery: res.cpuUsPerDelivery,
      serverCpuPct: res.serverCpuPct,
      generatorCpuPct: res.generatorCpuPct,
      otherCpuPct: res.otherCpuPct,
    });
    log(
      `  ramp ${srv.kind} ${rate} msg/s${attempt > 1 ? ` (try ${attempt})` : ""}: ${pass ? "pass" : "FAIL"} p99 ${res.latencyMs.p99} ms,` +
        ` lost ${res.lostDeliveries}, cpu: server ${res.serverCpuPct}% generator ${res.generatorCpuPct}%` +
        ` other ${res.otherCpuPct}%`,
    );
    if (pass && (!best || rate > best.rate)) best = { rate, ...res };
    if (!pass) await quiesce(srv.pid, 15_000);
    return { pass, otherCpuPct: res.otherCpuPct };
  };
  for (
    let rate = opts.rampStart;
    rate <= opts.rampMax;
    rate = Math.max(rate + 1, Math.round(rate * opts.rampFactor))
  ) {
    if (!(await step(rate))) break;
  }
  if (best && fail) {
    const mid = Math.round((best.rate + fail) / 2);
    if (mid > best.rate && mid < fail) await step(mid);
  }
  return {
    clients: n,
    senders: nSenders,
    p99BoundMs: opts.rampP99,
    maxSustainableMsgPerSec: best ? best.rate : 0,
    atMax: best,
    steps,
  };
}

async function scenarioIdle(ctx) {
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

async function scenarioPrivate(ctx) {
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

const SCENARIOS = {
  fanout: scenarioFanout,
  ramp: scenarioRamp,
  idle: scenarioIdle,
  private: scenarioPrivate,
};

async function runScenario(name, kind, opts) {
  const srv = await startServer(kind, opts);
  const ctx = { srv, opts, workers: [] };
  const t0 = Date.now();
  try {
    const res = await SCENARIOS[name](ctx);
    return { scenario: name, server: kind, ...res, wallS: round((Date.now() - t0) / 1000) };
  } finally {
    await closeWorkers(ctx.workers);
    await srv.stop();
  }
}

// ---------------------------------------------------------------------------------------
// Summary table

const FIGURES = [
  ["fanout", "delivered/s", (r) => r.deliveredPerSec],
  ["fanout", "delivery p50 ms", (r) => r.latencyMs.p50],
  ["fanout", "delivery p99 ms", (r) => r.latencyMs.p99],
  ["fanout", "ack p50 ms", (r) => r.ackMs.p50],
  ["fanout", "ack p99 ms", (r) => r.ackMs.p99],
  ["fanout", "undelivered at end", (r) => r.lostDeliveries],
  ["fanout", "reordered", (r) => r.reorders],
  [
    "fanout",
    "disconnects / recovered",
    (r) => (r.disconnects ? `${r.disconnects} / ${r.recoveredSessions}` : 0),
  ],
  ["fanout", "server CPU µs/delivery", (r) => r.cpuUsPerDelivery],
  ["fanout", "server RSS MB", (r) => r.serverRssMB],
  ["fanout", "other processes CPU %", (r) => r.otherCpuPct],
  ["ramp", "max sustainable msg/s", (r) => r.maxSustainableMsgPerSec],
  ["ramp", "delivered/s at max", (r) => r.atMax?.deliveredPerSec],
  ["ramp", "delivery p99 ms at max", (r) => r.atMax?.latencyMs.p99],
  ["ramp", "ack p99 ms at max", (r) => r.atMax?.ackMs.p99],
  ["ramp", "server CPU µs/delivery", (r) => r.atMax?.cpuUsPerDelivery],
  ["ramp", "other processes CPU %", (r) => Math.max(...r.steps.map((x) => x.otherCpuPct))],
  ["idle", "RSS KB/connection", (r) => r.rssPerConnKB],
  ["idle", "login+connect ms", (r) => r.connectMs],
  ["idle", "server CPU µs/connection", (r) => r.cpuUsPerConnection],
  ["idle", "other processes CPU %", (r) => r.otherCpuPct],
  ["private", "delivered/s", (r) => r.deliveredPerSec],
  ["private", "delivery p99 ms", (r) => r.latencyMs.p99],
  ["private", "ack p99 ms", (r) => r.ackMs.p99],
  ["private", "lost deliveries", (r) => r.lostDeliveries],
  ["private", "server CPU µs/delivery", (r) => r.cpuUsPerDelivery],
  ["private", "other processes CPU %", (r) => r.otherCpuPct],
];

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "—";
  if (typeof v !== "number") return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return String(round(v, 2));
}

function summaryTable(results, servers) {
  const get = (scenario, server) =>
    results.find((r) => r.scenario === scenario && r.server === server);
  const refs = servers.includes("ours") ? servers.filter((s) => s !== "ours") : [];
  const header = ["scenario", "figure", ...servers, ...refs.map((s) => `ours/${s}`)];
  const rows = [];
  for (const [scenario, label, pick] of FIGURES) {
    if (!results.some((r) => r.scenario === scenario)) continue;
    const vals = servers.map((s) => {
      const r = get(scenario, s);
      if (!r) return null;
      if (r.error) return "error";
      try {
        return pick(r) ?? null;
      } catch {
        return null;
      }
    });
    const ours = vals[servers.indexOf("ours")];
    const ratios = refs.map((s) => {
      if (label.startsWith("other processes")) return "";
      const v = vals[servers.indexOf(s)];
      if (typeof ours !== "number" || typeof v !== "number") return "—";
      if (v === 0) return "—";
      return (ours / v).toFixed(2);
    });
    rows.push([scenario, label, ...vals.map(fmt), ...ratios]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i < 2 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

// ---------------------------------------------------------------------------------------

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }

  // Pin: re-run this script under `taskset -c 1` (and `nice`, if asked), so every generator
  // process inherits core 1; the server gets `taskset -c 0` and inherits the niceness.
  const hasTaskset = spawnSync("taskset", ["-V"], { stdio: "ignore" }).error === undefined;
  const cores = os.cpus().length; // all cores, not just those in our affinity mask
  if (!process.env.BENCH_CHILD) {
    const prefix = [];
    // nice acts within a scheduler autogroup (one per session): a new session gets its own
    // autogroup, whose niceness is set below, so the nice value holds against other jobs
    if (opts.nice !== 0) prefix.push("setsid", "-w", "nice", "-n", String(opts.nice));
    let pin = false;
    if (opts.pin) {
      if (!hasTaskset)
        log("taskset not found: running UNPINNED (server and generator share cores)");
      else if (cores < 2) log(`only ${cores} core available: running UNPINNED`);
      else {
        prefix.push("taskset", "-c", "1");
        pin = true;
      }
    }
    const { hard } = openFilesLimit();
    const needFds = Math.max(opts.idleClients, opts.clients) + 1000;
    if (hard < needFds) {
      // ulimit is a shell builtin; raising the hard limit needs root (or CAP_SYS_RESOURCE)
      log(`open-files hard limit ${hard} < ${needFds}: trying ulimit -n ${needFds}`);
      prefix.unshift(
        "sh",
        "-c",
        `ulimit -n ${needFds} || echo "could not raise the open-files limit" >&2; exec "$@"`,
        "sh",
      );
    }
    if (prefix.length) {
      const r = spawnSync(
        prefix[0],
        [
          ...prefix.slice(1),
          process.execPath,
          fileURLToPath(import.meta.url),
          ...process.argv.slice(2),
        ],
        {
          stdio: "inherit",
          env: { ...process.env, BENCH_CHILD: "1", BENCH_PINNED: pin ? "1" : "" },
        },
      );
      process.exit(r.status ?? 1);
    }
  }
  opts.pinned = !!process.env.BENCH_PINNED;
  if (opts.nice !== 0) {
    try {
      fs.writeFileSync("/proc/self/autogroup", String(opts.nice));
    } catch (err) {
      log(`could not set the autogroup's niceness (${err.code ?? err.message}); nice may not help`);
    }
  }
  quietBudgetMs = opts.quietWait * 1000;

  const servers = opts.servers.filter((s) => {
    if (s === "ours" && !fs.existsSync(SERVER_SCRIPTS.ours)) {
      log(`skipping ours: ${path.relative(ROOT, SERVER_SCRIPTS.ours)} not built (npm run build)`);
      return false;
    }
    return true;
  });
  const limits = openFilesLimit();
  const needFds = Math.max(opts.idleClients, opts.clients) + 1000;
  log(
    `bench: scenarios ${opts.scenarios.join(",")}; servers ${servers.join(",")}; ` +
      `${opts.pinned ? "server on core 0, generator on core 1" : "unpinned"}; nice ${os.getPriority()}` +
      `${opts.nice !== 0 ? ` (${readAutogroup()})` : ""}; ` +
      `node ${process.version}; ` +
      `${cores} cores; open files ${limits.soft}/${limits.hard} (node raises soft to hard); ` +
      `load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ", 3).join(" ")}`,
  );
  if (opts.scenarios.includes("idle") && limits.hard < needFds)
    log(
      `warning: open-files hard limit ${limits.hard} < ${needFds}; raise it (ulimit -Hn) or lower --idle-clients`,
    );

  const results = [];
  for (const scenario of opts.scenarios) {
    for (const kind of servers) {
      log(`${scenario} / ${kind} ...`);
      let res;
      try {
        res = await runScenario(scenario, kind, opts);
      } catch (err) {
        res = { scenario, server: kind, error: String(err && err.message ? err.message : err) };
        log(`${scenario} / ${kind} FAILED: ${res.error}`);
      }
      const other = res.otherCpuPct ?? res.atMax?.otherCpuPct;
      if (other > 10)
        log(`warning: other processes used ${other}% of a core meanwhile; figures are skewed`);
      results.push(res);
      process.stdout.write(JSON.stringify(res) + "\n");
    }
  }

  process.stdout.write("\n" + summaryTable(results, servers) + "\n");
  const out =
    opts.out ||
    path.join(HERE, "results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores,
    memGB: round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    pinned: opts.pinned,
    nice: os.getPriority(),
    loadavgAtEnd: fs.readFileSync("/proc/loadavg", "utf8").trim(),
  };
  fs.writeFileSync(
    out,
    JSON.stringify({ date: new Date().toISOString(), machine, options: opts, results }, null, 2),
  );
  log(
    `results written to ${path.relative(process.cwd(), out)}; total ${round((Date.now() - T0) / 1000)} s`,
  );
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
