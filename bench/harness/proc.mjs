// Readings from /proc (server CPU and memory, the machine's busy time), progress logging,
// and the waits before a measurement: until the server is idle, until other jobs are quiet.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { round, sleep } from "../lib.mjs";

const T0 = Date.now();
/** Progress on stderr; results (JSON lines, table) go to stdout. */
export function log(...args) {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[${t}s] ${args.join(" ")}\n`);
}
export const elapsedS = () => (Date.now() - T0) / 1000;

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number((r.stdout || "").trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of a process (all its threads), in µs. */
export function readCpuUs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
}

/** { rss, hwm } in bytes. */
export function readMem(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+)`, "m")) || [])[1] || 0);
  return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
}

/** Busy time of all CPUs together (everything but idle and iowait), in µs. */
export function readSystemBusyUs() {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // guest time is already in user
  return ((total - v[3] - v[4]) * 1e6) / CLK_TCK;
}

export function readAutogroup() {
  try {
    return fs.readFileSync("/proc/self/autogroup", "utf8").trim();
  } catch {
    return "no autogroup";
  }
}

export function openFilesLimit() {
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
export async function quiesce(pid, maxMs = 10_000) {
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
export function setQuietBudget(seconds) {
  quietBudgetMs = seconds * 1000;
}

/**
 * Other jobs on the machine (tests, browsers) skew every figure. Before a measurement, wait
 * until everything but the server uses less than `quietThreshold` % of a core over 500 ms;
 * the waits of a whole run share one budget (`--quiet-wait`), so the run stays bounded.
 */
export async function waitForQuiet(pid, opts) {
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
