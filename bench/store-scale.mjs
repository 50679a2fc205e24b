#!/usr/bin/env node
/* global fetch */
// Store at scale: history-page, search and `rooms` snapshot latency, p50/p95, on a SQLite
// store of 1,000,000 messages, through the real server over Socket.IO. The store is seeded with plain SQL
// before the measured server starts (outside the timed part); the server runs pinned to
// core 0 when `taskset` exists, this driver on core 1.
//   node bench/store-scale.mjs [--messages N] [--requests N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { io } from "socket.io-client";
import { round } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";
import { CHINESE, RARE, WORDS, pick, rand, seedStore } from "./store-seed.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  const env = process.env[`BENCH_${name.toUpperCase()}`];
  return Number(i >= 0 ? process.argv[i + 1] : (env ?? dflt));
};
const MESSAGES = arg("messages", 1_000_000);
const REQUESTS = arg("requests", 300);
const ROOMS = 100;
const MEMBER_OF = 50; // rooms the snapshot user is in
const log = (...a) => process.stderr.write(`store-scale: ${a.join(" ")}\n`);

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5), 2),
    p95: round(percentile(sorted, 0.95), 2),
    max: round(sorted.at(-1), 2),
  };
}

async function measure(socket, event, payloads) {
  const times = [];
  let results = 0;
  for (const payload of payloads) {
    const t = performance.now();
    const ack = await socket.timeout(10_000).emitWithAck(event, payload);
    times.push(performance.now() - t);
    if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code}`);
    results += ack.messages.length;
  }
  return { ...summary(times), avgResults: round(results / payloads.length, 1) };
}

async function login(url, name) {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ name, avatar: "fox" }),
  });
  if (res.status !== 201) throw new Error(`login ${name}: ${res.status}`);
  return res.json();
}

/** A connected socket; with `onRooms`, the `online` → `rooms` gap (ms) is awaited too. */
async function connect(url, token, onRooms) {
  const socket = io(url, { transports: ["websocket"], auth: { token }, reconnection: false });
  const gap = new Promise((resolve) =>
    socket.once("online", () => {
      const t = performance.now();
      socket.once("rooms", (payload) => resolve([performance.now() - t, payload]));
    }),
  );
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  if (onRooms) onRooms(...(await gap));
  return socket;
}

/**
 * The `rooms` snapshot: the server computes it once it has sent `online` and sends it right
 * after, so the gap between the two at the client is its cost (plus one frame's transit).
 * One connect at a time; each socket is closed before the next.
 */
async function snapshots(url, token, n) {
  const times = [];
  let rooms = 0;
  for (let i = 0; i < n; i++) {
    const socket = await connect(url, token, (ms, payload) => {
      times.push(ms);
      rooms = payload.rooms.length;
    });
    socket.close();
  }
  return { ...summary(times), avgResults: rooms };
}

async function main() {
  if (!fs.existsSync(path.join(ROOT, "dist/server/index.js")))
    throw new Error("run `npm run build` first");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-store-scale-"));
  try {
    // The server creates the schema (and the users log in); the seed goes in while it is
    // stopped.
    let server = await startOurServer(dataDir);
    const bench = await login(server.url, "bench");
    const member = await login(server.url, "member");
    await server.stop();
    const t0 = performance.now();
    seedStore(path.join(dataDir, "chat.db"), member.user.id, {
      messages: MESSAGES,
      rooms: ROOMS,
      memberOf: MEMBER_OF,
    });
    log(`seeded ${MESSAGES} messages in ${round((performance.now() - t0) / 1000)} s`);

    // Latency, not budgets, is measured here: lift the read budget out of the way.
    server = await startOurServer(dataDir, { READ_RATE_LIMIT: "1000000" });
    const socket = await connect(server.url, bench.token);
    const conversations = ["group", ...Array.from({ length: ROOMS }, (_, r) => `room${r}`)];
    const history = Array.from({ length: REQUESTS }, () => ({
      room: pick(conversations),
      before: String(Math.floor(rand() * MESSAGES) + 1).padStart(16, "0"),
      limit: 50,
    }));
    const searches = {
      "common word": Array.from({ length: REQUESTS / 3 }, () => ({
        q: WORDS[Math.floor(rand() * 20)],
      })),
      "rare word": Array.from({ length: REQUESTS / 3 }, () => ({ q: pick(RARE) })),
      "two words": Array.from({ length: REQUESTS / 3 }, () => ({
        q: `${WORDS[Math.floor(rand() * 200)]} ${WORDS[Math.floor(rand() * 200)]}`,
      })),
      "Chinese, 2 characters": Array.from({ length: REQUESTS / 3 }, () => ({ q: pick(CHINESE) })),
      "in one room": Array.from({ length: REQUESTS / 3 }, () => ({
        q: WORDS[Math.floor(rand() * 500)],
        room: pick(conversations.slice(1)),
      })),
    };
    await measure(socket, "history", history.slice(0, 20)); // warm-up
    const result = {
      scenario: "store",
      messages: MESSAGES,
      history: await measure(socket, "history", history),
      search: {},
    };
    const all = [];
    for (const [kind, payloads] of Object.entries(searches)) {
      const r = await measure(socket, "search", payloads);
      result.search[kind] = r;
      all.push(r);
    }
    result.searchAll = {
      p50: Math.max(...all.map((r) => r.p50)),
      p95: Math.max(...all.map((r) => r.p95)),
    };
    socket.close();
    await snapshots(server.url, bench.token, 20); // warm-up
    result.roomsSnapshot = {
      [`in ${MEMBER_OF} rooms`]: await snapshots(server.url, member.token, REQUESTS),
      "in the group only": await snapshots(server.url, bench.token, REQUESTS),
    };
    await server.stop();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const rows = [
      ["history page (50)", result.history],
      ...Object.entries(result.roomsSnapshot).map(([k, v]) => [`rooms snapshot: ${k}`, v]),
      ...Object.entries(result.search).map(([k, v]) => [`search: ${k}`, v]),
    ];
    process.stdout.write(
      `\nstore of ${MESSAGES} messages (ms)            p50     p95     max   results\n`,
    );
    for (const [name, r] of rows) {
      process.stdout.write(
        `${name.padEnd(40)} ${String(r.p50).padStart(7)} ${String(r.p95).padStart(7)} ${String(r.max).padStart(7)} ${String(r.avgResults).padStart(8)}\n`,
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`store-scale failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
