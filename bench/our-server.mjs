/* global fetch */
// Our server for the single-server benchmarks (store at scale, floods): `dist/server/index.js`
// on 127.0.0.1 with its own DATA_DIR, pinned to core 0 when `taskset` exists (the driver then
// runs on core 1), ready once `/healthz` answers.
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "./lib.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const pinned =
  spawnSync("taskset", ["-c", "1", "true"]).status === 0 && os.cpus().length > 1;

/**
 * Starts the server and waits until it is ready; `env` adds to the defaults. Options:
 * `nodeArgs` (e.g. `--expose-gc`), `pin` (core 0 when possible; default true), `onOutput`
 * (gets the server's stdout and stderr; default: stderr shown, stdout dropped).
 */
export async function startOurServer(dataDir, env = {}, options = {}) {
  const { nodeArgs = [], pin = true, onOutput } = options;
  const port = 20000 + Math.floor(Math.random() * 20000);
  // BENCH_OURS_SCRIPT: another build (e.g. one from before a change), for before/after figures
  const script = process.env.BENCH_OURS_SCRIPT || path.join(ROOT, "dist/server/index.js");
  const argv = [process.execPath, ...nodeArgs, path.resolve(script)];
  if (pin && pinned) argv.unshift("taskset", "-c", "0");
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      LOGIN_RATE_LIMIT: "0",
      ...env,
    },
    stdio: onOutput ? ["ignore", "pipe", "pipe"] : ["ignore", "ignore", "inherit"],
  });
  if (onOutput) {
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
  }
  const exited = new Promise((r) => child.once("exit", r));
  const url = `http://127.0.0.1:${port}`;
  for (let n = 0; ; n++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (n > 300) throw new Error("server did not start");
    await sleep(100);
  }
  return {
    url,
    /** The server process (taskset execs node in place: the same pid). */
    child,
    /** Resolves to the exit code. */
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
