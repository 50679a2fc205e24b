#!/usr/bin/env node
// The benchmark driver: for each scenario (bench/scenarios/), for our server and the
// references that match the scenario (bench/reference/), start a fresh server pinned to
// core 0, run the load from worker processes pinned to core 1, print one JSON line, and at
// the end a summary table with our ratio to each reference. See bench/README.md.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { round } from "./lib.mjs";
import { HELP, parseOptions } from "./harness/options.mjs";
import { elapsedS, log, openFilesLimit, readAutogroup, setQuietBudget } from "./harness/proc.mjs";
import { BENCH_DIR, ROOT, SERVER_SCRIPTS, startServer } from "./harness/servers.mjs";
import { summaryTable } from "./harness/table.mjs";
import { closeWorkers } from "./harness/workers.mjs";
import fanout from "./scenarios/fanout.mjs";
import ramp from "./scenarios/ramp.mjs";
import idle from "./scenarios/idle.mjs";
import privateScenario from "./scenarios/private.mjs";
import rooms from "./scenarios/rooms.mjs";
import uploads from "./scenarios/uploads.mjs";

const SCENARIOS = Object.fromEntries(
  [fanout, ramp, idle, privateScenario, rooms, uploads].map((s) => [s.name, s]),
);
/** Open files the idle scenario needs in one process (the server holds every socket). */
const fdsNeeded = (opts) => Math.max(opts.idleClients, opts.clients) + 1000;

async function runScenario(scenario, kind, opts) {
  const srv = await startServer(kind, opts);
  const ctx = { srv, opts, workers: [] };
  const t0 = Date.now();
  try {
    const res = await scenario.run(ctx);
    return {
      scenario: scenario.name,
      server: kind,
      ...res,
      wallS: round((Date.now() - t0) / 1000),
    };
  } finally {
    await closeWorkers(ctx.workers);
    await srv.stop();
  }
}

/**
 * Re-runs this script pinned to core 1 (and under `nice`, and with a raised open-files
 * limit, if needed), so every generator process inherits them; the server gets
 * `taskset -c 0` and inherits the rest. Returns false when this process is already that run.
 */
function reexec(opts) {
  if (process.env.BENCH_CHILD) return false;
  const hasTaskset = spawnSync("taskset", ["-V"], { stdio: "ignore" }).error === undefined;
  const cores = os.cpus().length; // all cores, not just those in our affinity mask
  const prefix = [];
  // nice acts within a scheduler autogroup (one per session): a new session gets its own
  // autogroup, whose niceness is set below, so the nice value holds against other jobs
  if (opts.nice !== 0) prefix.push("setsid", "-w", "nice", "-n", String(opts.nice));
  let pin = false;
  if (opts.pin) {
    if (!hasTaskset) log("taskset not found: running UNPINNED (server and generator share cores)");
    else if (cores < 2) log(`only ${cores} core available: running UNPINNED`);
    else {
      prefix.push("taskset", "-c", "1");
      pin = true;
    }
  }
  const { hard } = openFilesLimit();
  const need = fdsNeeded(opts);
  if (hard < need) {
    // raising the hard limit needs root (or CAP_SYS_RESOURCE); Node raises soft to hard
    const limit = Math.max(65536, need);
    const works = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
    if (works("prlimit", [`--nofile=${limit}:${limit}`, "--", "true"]))
      prefix.unshift("prlimit", `--nofile=${limit}:${limit}`, "--");
    else if (works("sh", ["-c", `ulimit -n ${limit}`]))
      prefix.unshift("sh", "-c", `ulimit -n ${limit}; exec "$@"`, "sh");
    else log(`could not raise the open-files limit (needs CAP_SYS_RESOURCE); going on at ${hard}`);
  }
  if (!prefix.length) return false;
  const argv = [process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const r = spawnSync(prefix[0], [...prefix.slice(1), ...argv], {
    stdio: "inherit",
    env: { ...process.env, BENCH_CHILD: "1", BENCH_PINNED: pin ? "1" : "" },
  });
  if (r.error) log(`could not re-run under ${prefix[0]}: ${r.error.message}`);
  process.exit(r.status ?? 1);
}

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n\n${HELP}`);
    process.exit(2);
  }
  if (opts.help) return void process.stdout.write(HELP);
  reexec(opts);
  opts.pinned = !!process.env.BENCH_PINNED;
  if (opts.nice !== 0) {
    try {
      fs.writeFileSync("/proc/self/autogroup", String(opts.nice));
    } catch (err) {
      log(`could not set the autogroup's niceness (${err.code ?? err.message}); nice may not help`);
    }
  }
  setQuietBudget(opts.quietWait);

  const built = fs.existsSync(opts.oursScript || SERVER_SCRIPTS.ours);
  if (!built)
    log(`skipping ours: ${path.relative(ROOT, SERVER_SCRIPTS.ours)} not built (npm run build)`);
  const limits = openFilesLimit();
  log(
    `bench: scenarios ${opts.scenarios.join(",")}; servers ${opts.servers.join(",")}; ` +
      `${opts.pinned ? "server on core 0, generator on core 1" : "unpinned"}; nice ${os.getPriority()}` +
      `${opts.nice !== 0 ? ` (${readAutogroup()})` : ""}; node ${process.version}; ` +
      `${os.cpus().length} cores; open files ${limits.soft}/${limits.hard} (node raises soft to hard); ` +
      `load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ", 3).join(" ")}`,
  );
  if (opts.scenarios.includes("idle") && limits.hard < opts.idleClients + 1000)
    log(`warning: open-files hard limit ${limits.hard} is too low; lower --idle-clients`);

  const runs = [];
  const all = [];
  for (const name of opts.scenarios) {
    const scenario = SCENARIOS[name];
    const servers = ["ours", ...scenario.references].filter(
      (s) => opts.servers.includes(s) && (s !== "ours" || built),
    );
    const results = {};
    for (const kind of servers) {
      log(`${name} / ${kind} ...`);
      let res;
      try {
        res = await runScenario(scenario, kind, opts);
      } catch (err) {
        res = {
          scenario: name,
          server: kind,
          error: String(err && err.message ? err.message : err),
        };
        log(`${name} / ${kind} FAILED: ${res.error}`);
      }
      if (res.skipped) log(`${name} / ${kind} skipped: ${res.skipped}`);
      const other = res.otherCpuPct ?? res.atMax?.otherCpuPct;
      if (other > 10)
        log(`warning: other processes used ${other}% of a core meanwhile; figures are skewed`);
      results[kind] = res;
      all.push(res);
      process.stdout.write(JSON.stringify(res) + "\n");
    }
    if (servers.length) runs.push({ scenario, servers, results });
  }

  process.stdout.write("\n" + summaryTable(runs) + "\n");
  const out =
    opts.out ||
    path.join(BENCH_DIR, "results", `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memGB: round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    pinned: opts.pinned,
    nice: os.getPriority(),
    loadavgAtEnd: fs.readFileSync("/proc/loadavg", "utf8").trim(),
  };
  fs.writeFileSync(
    out,
    JSON.stringify(
      { date: new Date().toISOString(), machine, options: opts, results: all },
      null,
      2,
    ),
  );
  log(`results written to ${path.relative(process.cwd(), out)}; total ${round(elapsedS())} s`);
  if (all.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
