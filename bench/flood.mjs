#!/usr/bin/env node
/* global fetch */
// One abusive user against a bystander: the bystander's ack latency (p50/p99) while nobody
// floods, then while one user with 20 sockets floods `history`, `search` and `typing`.
// The server runs pinned to core 0 when `taskset` exists; this driver on core 1. The attacker
// runs in a child process of its own, so its load never delays the bystander's measurement.
//   node bench/flood.mjs [--seconds N]
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import { round, sleep } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";

const i = process.argv.indexOf("--seconds");
const SECONDS = Number(i >= 0 ? process.argv[i + 1] : (process.env.BENCH_SECONDS ?? 5));
const TABS = 20;
/** Requests each attacking tab keeps in flight: 20 × 25 = 500 at once. */
const IN_FLIGHT = 25;
/** The target: the bystander's ack p99 stays under this while one user floods. */
const TARGET_P99_MS = 50;

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
 * Every tab keeps IN_FLIGHT requests going for the phase (bounded), each sent again as soon
 * as its ack comes back; a tab the server drops connects again at once, as a determined
 * attacker would. Typing has no ack: each tab sends one every millisecond.
 */
async function flood(url, tabs, event, payload, ms) {
  let sent = 0;
  let refused = 0;
  let reconnects = 0;
  const until = Date.now() + ms;
  const lane = async (k) => {
    while (Date.now() < until && sent < 400_000) {
      if (!tabs[k].connected) {
        if (tabs[k].reconnecting) {
          await tabs[k].reconnecting;
          continue;
        }
        const token = tabs[k].token;
        // Refused while its other tabs are still being counted (20 sockets per user): again.
        tabs[k].reconnecting = connectTab(url, token).catch(() => sleep(50).then(() => null));
        const s = await tabs[k].reconnecting;
        tabs[k].reconnecting = null;
        if (!s) continue;
        tabs[k] = Object.assign(s, { token });
        reconnects++;
      }
      const s = tabs[k];
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
  };
  const lanes = event === "typing" ? 1 : IN_FLIGHT;
  await Promise.all(tabs.flatMap((_, k) => Array.from({ length: lanes }, () => lane(k))));
  return { sent, refused, reconnects };
}

/** The attacker's process: its tabs, then one flood per request from the parent. */
async function attackerProcess() {
  let tabs = null;
  process.on("message", async (m) => {
    if (m.connect) {
      tabs = [];
      for (let n = 0; n < TABS; n++)
        tabs.push(Object.assign(await connectTab(m.url, m.token), { token: m.token }));
      for (let n = 0; n < 200; n++)
        await tabs[0].emitWithAck("textmsg", { content: `filler word ${n}` });
      process.send({ ready: true });
    } else if (m.flood) {
      const [event, payload] = m.flood;
      process.send({ result: await flood(m.url, tabs, event, payload, m.ms) });
    } else if (m.stop) {
      for (const t of tabs ?? []) t.close();
      process.exit(0);
    }
  });
}

function ask(child, message, key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (!(key in m)) return;
      child.off("message", on);
      resolve(m[key]);
    };
    child.on("message", on);
    child.send(message);
  });
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-flood-"));
  // The bystander sends 20 a second: lift the message budget out of its way.
  const server = await startOurServer(dataDir, { RATE_LIMIT_MESSAGES: "1000000" });
  const child = fork(new URL(import.meta.url).pathname, ["--attacker"]);
  try {
    const [bystander] = await user(server.url, "bystander");
    const [first] = await user(server.url, "attacker");
    first.close();
    // Some history to read and search, written by the attacker's first tab.
    await ask(child, { connect: true, url: server.url, token: first.token }, "ready");
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
        load ? ask(child, { flood: load, url: server.url, ms }, "result") : Promise.resolve(null),
      ]);
      results.push({ phase: name, bystanderAckMs: acks, attacker: attack });
      await sleep(2500); // budgets refill
    }
    process.stdout.write(
      `${JSON.stringify({ scenario: "flood", seconds: SECONDS, tabs: TABS, inFlight: IN_FLIGHT, results })}\n`,
    );
    process.stdout.write(
      `\nbystander ack (ms) while one user floods (${TABS} tabs × ${IN_FLIGHT} in flight)` +
        `      p50     p99  p99 < ${TARGET_P99_MS} ms   attacker sent / refused / reconnects\n`,
    );
    for (const r of results) {
      const a = r.attacker
        ? `${r.attacker.sent} / ${r.attacker.refused} / ${r.attacker.reconnects}`
        : "—";
      const verdict = r.bystanderAckMs.p99 < TARGET_P99_MS ? "met" : "NOT MET";
      process.stdout.write(
        `${r.phase.padEnd(54)} ${String(r.bystanderAckMs.p50).padStart(7)} ${String(r.bystanderAckMs.p99).padStart(7)}  ${verdict.padEnd(12)} ${a}\n`,
      );
    }
    bystander.close();
  } finally {
    child.send({ stop: true });
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

(process.argv.includes("--attacker") ? attackerProcess() : main()).catch((err) => {
  process.stderr.write(`flood failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
