// Starts the real server for a test: in-process on port 0 with SQLite in a temp dir,
// or as a child process running the built dist/ (for restart and crash tests).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { createApp, type AppComponents, type ChatApp } from "../../server/app";
import { loadConfig, type Config } from "../../server/config/config";
import { storesOn } from "../../server/store/create-store";
import { SqliteStore } from "../../server/store/sqlite-store";
import type { ReadStateStore } from "../../server/store/read-store";
import type { RoomStore } from "../../server/store/room-store";
import type { ChatStore } from "../../server/store/types";

export function tempDir(prefix = "chat-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type TestServer = {
  url: string;
  port: number;
  chat: ChatApp;
  config: Config;
  store: ChatStore;
  rooms: RoomStore;
  reads: ReadStateStore;
  dataDir: string;
  close(): Promise<void>;
};

export async function startServer(
  env: Record<string, string> = {},
  parts: Partial<Omit<AppComponents, "config">> = {},
): Promise<TestServer> {
  const dataDir = env.DATA_DIR ?? tempDir();
  const config = loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    // Tests log in many users from 127.0.0.1; the login limit has its own tests.
    LOGIN_RATE_LIMIT: "0",
    ...env,
    DATA_DIR: dataDir,
  });
  const store = parts.store ?? new SqliteStore(path.join(dataDir, "chat.db"));
  await store.init();
  // A wrapped store (a test's slow one) still shares the real one's database.
  const stores = storesOn(store as SqliteStore);
  const log = parts.log ?? pino({ level: "silent" });
  const chat = createApp({ ...stores, ...parts, config, store, log });
  await new Promise<void>((resolve) => chat.httpServer.listen(0, "127.0.0.1", resolve));
  chat.markReady();
  const { port } = chat.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    chat,
    config,
    store,
    rooms: parts.rooms ?? stores.rooms,
    reads: parts.reads ?? stores.reads,
    dataDir,
    close: () => chat.shutdown(),
  };
}

const ROOT = path.resolve(__dirname, "../..");

export type ServerProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  logs: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
};

/** Runs `node dist/server/index.js` and waits for its "listening" log line. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/server/index.js")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      LOGIN_RATE_LIMIT: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs: () => output,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
