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
import Database from "better-sqlite3";
import { io } from "socket.io-client";
import { round } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";

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

// A deterministic generator, so every run searches the same store.
let seed = 42;
function rand() {
  // mulberry32: 32-bit integer steps, exact in JavaScript numbers.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(rand() * list.length)];
// 5,000 distinct made-up words of 2 to 4 syllables, like a language's vocabulary.
const SYLLABLES =
  "ba be bi bo da de di do fa fe ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo".split(
    " ",
  );
const WORDS = [];
for (const seen = new Set(); WORDS.length < 5000;) {
  let w = "";
  for (let n = 2 + Math.floor(rand() * 3); n > 0; n--) w += pick(SYLLABLES);
  if (seen.has(w)) continue;
  seen.add(w);
  WORDS.push(w);
}
/** Long words from the tail of the distribution: few matches, so the whole index is walked. */
const RARE = WORDS.slice(2500).filter((w) => w.length >= 8);
const CHINESE = [
  "今天",
  "天气",
  "很好",
  "我们",
  "明天",
  "见面",
  "公园",
  "吃饭",
  "工作",
  "会议",
  "周末",
  "电影",
  "朋友",
  "学习",
  "中文",
];
const zipf = () => WORDS[Math.floor(WORDS.length * rand() ** 3)]; // a few words are common

function content() {
  const words = Array.from({ length: 6 + Math.floor(rand() * 14) }, zipf);
  if (rand() < 0.1) words.push(pick(CHINESE) + pick(CHINESE));
  return words.join(" ");
}

/** `member`: the user whose `rooms` snapshot is measured, put in MEMBER_OF rooms. */
function seedStore(file, member) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insertRoom = db.prepare(
    `INSERT INTO rooms (id, name, name_key, kind, topic, created_at) VALUES (?, ?, ?, 'open', '', 0)`,
  );
  const insert = db.prepare(
    `INSERT INTO messages (conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts, n, an)
     VALUES (?, ?, ?, 'fox', ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Each message's place in its conversation and among its author's messages there, as the
  // server's own insert sets them.
  const places = new Map();
  const next = (key) => {
    const n = (places.get(key) ?? 0) + 1;
    places.set(key, n);
    return n;
  };
  const put = (conversation, from, to, toAvatar, ts) =>
    insert.run(
      conversation,
      from,
      from,
      to,
      to,
      toAvatar,
      content(),
      ts,
      next(conversation),
      next(`${conversation}\u0000${from}`),
    );
  db.transaction(() => {
    for (let r = 0; r < ROOMS; r++) insertRoom.run(`room${r}`, `Room ${r}`, `room ${r}`);
  })();
  const BATCH = 50_000;
  for (let done = 0; done < MESSAGES; done += BATCH) {
    db.transaction(() => {
      for (let i = done; i < Math.min(MESSAGES, done + BATCH); i++) {
        const from = `u${Math.floor(rand() * 200)}`;
        const kind = rand();
        if (kind < 0.4) put("group", from, null, null, i);
        else if (kind < 0.8) put(`r:room${Math.floor(rand() * ROOMS)}`, from, null, null, i);
        else {
          const to = `u${Math.floor(rand() * 200)}`;
          const key = from < to ? `p:${from}:${to}` : `p:${to}:${from}`;
          put(key, from, to, "owl", i);
        }
      }
    })();
  }
  // The snapshot user is in every other room, having read each up to a random point, so
  // its unread counts range from none to the whole room (about 4,000 messages).
  const join = db.prepare(
    `INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, 0)`,
  );
  const mark = db.prepare(
    `INSERT INTO read_state (user_id, conversation, last_read) VALUES (?, ?, ?)`,
  );
  db.transaction(() => {
    for (let r = 0; r < ROOMS; r += ROOMS / MEMBER_OF) {
      join.run(`room${r}`, member);
      mark.run(member, `r:room${r}`, Math.floor(rand() * MESSAGES));
    }
    mark.run(member, "group", Math.floor(rand() * MESSAGES));
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

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
    seedStore(path.join(dataDir, "chat.db"), member.user.id);
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
