// The load generator's processes and the users they play: logins (ours only; the references
// take the name in the handshake), worker processes (bench/worker.mjs) and their connects.
import { fork } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { socketUrl } from "../client.mjs";
import { AVATARS, mapLimit, sleep } from "../lib.mjs";
import { BENCH_DIR, httpRequest } from "./servers.mjs";

export async function authsFor(srv, users, opts) {
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

export function makeUsers(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `u${i}`,
    avatar: AVATARS[i % AVATARS.length],
  }));
}

export function spawnWorker() {
  const child = fork(path.join(BENCH_DIR, "worker.mjs"), [], {
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

export async function closeWorkers(workers) {
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
export async function connectAll(srv, workers, slices, nSenders, opts) {
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

export async function workersCpuUs(workers) {
  const replies = await Promise.all(workers.map((w) => w.request({ type: "cpu" }, "cpu")));
  return replies.reduce((n, r) => n + r.cpu.user + r.cpu.system, sumOwnCpu());
}

export function sumOwnCpu() {
  const own = process.cpuUsage();
  return own.user + own.system;
}
