#!/usr/bin/env node
/* global fetch */
// One abusive user against a bystander: the bystander's ack latency (p50/p99) while nobody
// floods, then while one user with 20 sockets floods `history`, `search` and `typing`.
// The server runs pinned to core 0 when `taskset` exists; this driver on core 1.
//   node bench/flood.mjs [--seconds N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { round, sleep } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";

const i = process.argv.indexOf("--seconds");
const SECONDS = Number(i >= 0 ? process.argv[i + 1] : (process.env.BENCH_SECONDS ?? 5));
const TABS = 20;

function connectTab(url, token) {
  const s = io(url, { transports: ["websocket"], auth: { token }, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once("connect", () => resolve(s));
    s.once("connect_error", reject);
  });
}

async function user(url, name, tabs = 1) {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, avatar: "fox" }),
  });
  const { token } = await res.json();
  const sockets = [];
  for (let n = 0; n < tabs; n++) {
    const s = await connectTab(url, token);
    s.token = token;
    sockets.push(s);
  }
  return sockets;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** The bystander sends a message every 50 ms for the phase; returns its ack latencies. */
async function bystanderAcks(socket, ms) {
  const times = [];
  const until = Date.now() + ms;
  for (let n = 0; Date.now() < until; n++) {
    const t = performance.now();
    const ack = await socket.timeout(10_000).emitWithAck("textmsg", { content: `bystander ${n}` });
    if (!ack.ok) throw new Error(`bystander refused: ${ack.error.code}`);
    times.push(performance.now() - t);
    await sleep(50);
  }
  times.sort((a, b) => a - b);
  return {
    acks: times.length,
    p50: round(percentile(times, 0.5), 2),
    p99: round(percentile(times, 0.99), 2),
  };
}

/**
 * Every tab fires its event as fast as its acks come back, for the phase (bounded); a tab the
 * server drops connects again at once, as a determined attacker would.
 */
async function flood(url, tabs, event, payload, ms) {
  let sent = 0;
  let refused = 0;
  let reconnects = 0;
  const until = Date.now() + ms;
  await Promise.all(
    tabs.map(async (tab, k) => {
      let s = tab;
      while (Date.now() < until && sent < 200_000) {
        if (!s.connected) {
          s = await connectTab(url, tab.token).catch(() => null);
          if (!s) return;
          tabs[k] = Object.assign(s, { token: tab.token });
          reconnects++;
        }
        sent++;
        if (event === "typing") {
          s.emit("typing", payload);
          await sleep(1);
          continue;
        }
        const ack = await s
          .timeout(10_000)
          .emitWithAck(event, payload)
          .catch(() => null);
        if (ack && !ack.ok && ack.error.code === "rate_limited") refused++;
      }
    }),
  );
  return { sent, refused, reconnects };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-flood-"));
  // The bystander sends 20 a second: lift the message budget out of its way.
  const server = await startOurServer(dataDir, { RATE_LIMIT_MESSAGES: "1000000" });
  try {
    const [bystander] = await user(server.url, "bystander");
    const attacker = await user(server.url, "attacker", TABS);
    // Some history to read and search.
    for (let n = 0; n < 200; n++)
      await attacker[0].emitWithAck("textmsg", { content: `filler word ${n}` });
    const ms = SECONDS * 1000;
    const phases = [
      ["quiet", null],
      ["history flood", ["history", { limit: 100 }]],
      ["search flood", ["search", { q: "word" }]],
      ["typing flood", ["typing", {}]],
    ];
    const results = [];
    for (const [name, load] of phases) {
      const [acks, attack] = await Promise.all([
        bystanderAcks(bystander, ms),
        load ? flood(server.url, attacker, load[0], load[1], ms) : Promise.resolve(null),
      ]);
      results.push({ phase: name, bystanderAckMs: acks, attacker: attack });
      await sleep(2500); // budgets refill
    }
    process.stdout.write(
      `${JSON.stringify({ scenario: "flood", seconds: SECONDS, tabs: TABS, results })}\n`,
    );
    process.stdout.write(
      "\nbystander ack (ms) while one user floods      p50     p99   attacker sent / refused\n",
    );
    for (const r of results) {
      const a = r.attacker
        ? `${r.attacker.sent} / ${r.attacker.refused} / ${r.attacker.reconnects}`
        : "—";
      process.stdout.write(
        `${r.phase.padEnd(42)} ${String(r.bystanderAckMs.p50).padStart(7)} ${String(r.bystanderAckMs.p99).padStart(7)}   ${a}\n`,
      );
    }
    for (const s of [bystander, ...attacker]) s.close();
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`flood failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
