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

/** Starts the server and waits until it is ready; `env` adds to the defaults. */
export async function startOurServer(dataDir, env = {}) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  // BENCH_OURS_SCRIPT: another build (e.g. one from before a change), for before/after figures
  const script = process.env.BENCH_OURS_SCRIPT || path.join(ROOT, "dist/server/index.js");
  const argv = [process.execPath, path.resolve(script)];
  if (pinned) argv.unshift("taskset", "-c", "0");
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
    stdio: ["ignore", "ignore", "inherit"],
  });
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
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
