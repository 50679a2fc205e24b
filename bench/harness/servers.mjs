// The servers under test: ours (`dist/server/index.js` on a fresh SQLite store) and the bare
// Socket.IO references in bench/reference/, each started fresh on its own port, pinned to
// core 0, and ready once `GET /healthz` answers 200.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sleep } from "../lib.mjs";
import { log } from "./proc.mjs";

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.resolve(HERE, "..");
export const BENCH_DIR = HERE;

export const SERVER_SCRIPTS = {
  ours: path.join(ROOT, "dist/server/index.js"),
  tutorial: path.join(HERE, "reference/tutorial.mjs"),
  tuned: path.join(HERE, "reference/tuned.mjs"),
  "private-relay": path.join(HERE, "reference/private-relay.mjs"),
  "room-relay": path.join(HERE, "reference/room-relay.mjs"),
  "upload-sink": path.join(HERE, "reference/upload-sink.mjs"),
};

export function freePort() {
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

/** One JSON request; resolves { status, json, text }. */
export function httpRequest(port, method, urlPath, body, agent, headers = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          ...(data ? { "content-type": "application/json", "content-length": data.length } : {}),
          ...headers,
        },
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

function serverEnv(kind, port) {
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
  return { env, dataDir };
}

/** Starts a fresh server of `kind`; `extraEnv` adds to its environment. */
export async function startServer(kind, opts, extraEnv = {}) {
  const port = await freePort();
  const { env, dataDir } = serverEnv(kind, port);
  Object.assign(env, extraEnv);
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
  const script = kind === "ours" && opts.oursScript ? opts.oursScript : SERVER_SCRIPTS[kind];
  const argv = [process.execPath, ...nodeArgs, path.resolve(script)];
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
