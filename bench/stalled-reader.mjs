#!/usr/bin/env node
/* global fetch */
// A client that stops reading: one raw client connects and pauses its TCP socket while a
// sender sends 7,000 group messages of 1,500 characters at up to 500 a second. The server
// must cut the stalled client off, and what it holds must not grow with the traffic.
// Prints the server's RSS at start, peak and end (after a full GC: the server runs under
// --expose-gc), and where the growth is: RSS by mapping (malloc's heap, where SQLite's page
// cache lives; anonymous memory, where V8's heap lives), V8's old space, external buffers,
// the recovery buffer (chat_recovery_buffer_bytes) and the bytes queued for the stalled
// socket when it was cut. With --heap, a V8 heap snapshot before the sends and one after give
// the live heap and the recovery buffer's retained size instead (the snapshots take memory
// of their own, so RSS is then not comparable).
//   node bench/stalled-reader.mjs [--messages N] [--rate N] [--size N] [--heap] [--no-stalled]
// Passed on to the server: RECOVERY_BUFFER_BYTES, SOCKET_BUFFER_LIMIT_BYTES.
// BENCH_OURS_SCRIPT=…/index.js runs another build (our-server.mjs).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { round, sleep } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
}
const MESSAGES = Math.min(flag("messages", 7000), 100_000);
const RATE = Math.min(flag("rate", 500), 2000);
const SIZE = Math.min(flag("size", 1500), 2000);
const HEAP = process.argv.includes("--heap");
/** Without the stalled client: what the same traffic costs when everyone reads. */
const STALLED = !process.argv.includes("--no-stalled");
/** Acks outstanding at once: the sender never runs further ahead of the server than this. */
const IN_FLIGHT = 100;
const MB = 1024 * 1024;
const mb = (bytes) => round(bytes / MB, 1);

/** VmRSS and VmHWM (the kernel's peak) of a process, in bytes. */
function rss(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kb("VmRSS") * 1024, hwm: kb("VmHWM") * 1024 };
}

/**
 * RSS by kind of mapping: `[heap]` (malloc's main arena: SQLite's page cache, native
 * allocations), other anonymous memory (V8's heap pages, other arenas, stacks) and files.
 */
function rssByMapping(pid) {
  const out = { mallocHeap: 0, anon: 0, file: 0 };
  let kind = "anon";
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1];
      kind =
        name === "[heap]" ? "mallocHeap" : name === "" || name.startsWith("[") ? "anon" : "file";
    } else if (line.startsWith("Rss:")) out[kind] += Number(line.split(/\s+/)[1]) * 1024;
  }
  return out;
}

/** The server's own view of its memory, from GET /metrics (loopback needs no token). */
async function metrics(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  const space = (name) => get(`nodejs_heap_space_size_total_bytes\\{space="${name}"\\}`);
  return {
    heapUsed: get("nodejs_heap_size_used_bytes"),
    heapTotal: get("nodejs_heap_size_total_bytes"),
    newSpace: space("new"),
    oldSpace: space("old"),
    external: get("nodejs_external_memory_bytes"),
    recoveryBytes: get("chat_recovery_buffer_bytes"),
    recoveryPackets: get("chat_recovery_buffer_packets"),
    dropped: get("chat_slow_consumers_disconnected_total"),
  };
}

async function reading(server) {
  return {
    ...rss(server.child.pid),
    ...(await metrics(server.url)),
    map: rssByMapping(server.child.pid),
  };
}

async function login(url, name) {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, avatar: "fox" }),
  });
  if (!res.ok) throw new Error(`login ${name}: ${res.status}`);
  return (await res.json()).token;
}

/** A bare Engine.IO/Socket.IO client that connects, then stops reading its TCP socket. */
async function stalledClient(url, token) {
  const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  await new Promise((resolve, reject) => {
    ws.on("message", (data) => {
      const text = data.toString();
      if (text.startsWith("0")) ws.send(`40${JSON.stringify({ token })}`);
      else if (text.startsWith("40")) resolve();
      else if (text.startsWith("44")) reject(new Error(text));
    });
    ws.once("error", reject);
  });
  const closed = new Promise((resolve) => ws.once("close", resolve));
  ws.on("error", () => {});
  ws._socket.pause();
  return { ws, closed };
}

/** Sends MESSAGES messages at up to RATE a second, at most IN_FLIGHT unacknowledged. */
async function send(socket, every100) {
  const pad = "x".repeat(SIZE);
  const started = performance.now();
  let acked = 0;
  let failed = 0;
  const inFlight = new Set();
  for (let n = 0; n < MESSAGES; n++) {
    const wait = started + (n * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    const p = socket
      .timeout(30_000)
      .emitWithAck("textmsg", { content: `${n} ${pad}`.slice(0, SIZE) })
      .then(
        (ack) => (ack.ok ? acked++ : failed++),
        () => failed++,
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (n % 100 === 99) every100(n + 1);
  }
  await Promise.all(inFlight);
  return { acked, failed, seconds: round((performance.now() - started) / 1000, 1) };
}

// ---------------------------------------------------------------------------------------
// Heap snapshots: the server runs with --heapsnapshot-signal=SIGUSR2; each snapshot is read
// back here. Retained size = what would be freed if that object went away.

async function takeSnapshot(server, dir) {
  const before = new Set(fs.readdirSync(dir));
  server.child.kill("SIGUSR2");
  for (let n = 0; n < 600; n++) {
    await sleep(100);
    const file = fs.readdirSync(dir).find((f) => !before.has(f) && f.endsWith(".heapsnapshot"));
    if (!file) continue;
    // The snapshot is written on the server's main thread: once it answers, the file is done.
    // (A kept-alive connection the server closes meanwhile resets: ask again.)
    for (let tries = 0; ; tries++) {
      const ok = await fetch(`${server.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (tries === 20 || server.child.exitCode !== null) throw new Error("server gone");
      await sleep(100);
    }
    return path.join(dir, file);
  }
  throw new Error("no heap snapshot");
}

/** The live heap, and the retained size of the adapter's kept packets (the recovery buffer). */
function splitSnapshot(file) {
  const snap = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.rmSync(file);
  const { node_fields: nf, edge_fields: ef } = snap.snapshot.meta;
  const [types] = snap.snapshot.meta.node_types;
  const [etypes] = snap.snapshot.meta.edge_types;
  const NF = nf.length;
  const EF = ef.length;
  const [nType, nName, nSize, nEdges] = ["type", "name", "self_size", "edge_count"].map((f) =>
    nf.indexOf(f),
  );
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) => ef.indexOf(f));
  const { nodes, edges, strings } = snap;
  const count = nodes.length / NF;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += nodes[i * NF + nEdges] * EF;
  }
  firstEdge[count] = edges.length;
  const weak = etypes.indexOf("weak");
  const property = etypes.indexOf("property");

  /** Marks what is reachable from the root without passing through `skip`. */
  function reachable(skip) {
    const seen = new Uint8Array(count);
    const stack = [0];
    seen[0] = 1;
    if (skip !== undefined) seen[skip] = 1;
    while (stack.length) {
      const i = stack.pop();
      for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += EF) {
        if (edges[e + eType] === weak) continue;
        const to = edges[e + eTo] / NF;
        if (!seen[to]) {
          seen[to] = 1;
          stack.push(to);
        }
      }
    }
    if (skip !== undefined) seen[skip] = 0;
    return seen;
  }
  const live = reachable();
  let heap = 0;
  for (let i = 0; i < count; i++) if (live[i]) heap += nodes[i * NF + nSize];

  // The adapter of "/" (socket.io-adapter's class or ours): its `packets` array.
  let recoveryBuffer = 0;
  for (let i = 0; i < count; i++) {
    if (!live[i] || types[nodes[i * NF + nType]] !== "object") continue;
    if (!/Adapter$/.test(strings[nodes[i * NF + nName]])) continue;
    for (let e = firstEdge[i]; e < firstEdge[i + 1]; e += EF) {
      if (edges[e + eType] !== property || strings[edges[e + eName]] !== "packets") continue;
      const target = edges[e + eTo] / NF;
      const without = reachable(target);
      for (let j = 0; j < count; j++)
        if (live[j] && !without[j]) recoveryBuffer += nodes[j * NF + nSize];
    }
  }
  return { heap, recoveryBuffer };
}

// ---------------------------------------------------------------------------------------

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-stalled-"));
  const diagDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-stalled-heap-"));
  const env = { RATE_LIMIT_MESSAGES: "1000000000", RATE_LIMIT_WINDOW_MS: "1000" };
  for (const key of ["RECOVERY_BUFFER_BYTES", "SOCKET_BUFFER_LIMIT_BYTES"]) {
    if (process.env[key]) env[key] = process.env[key];
  }
  // SIGUSR2: a heap snapshot with --heap; otherwise a full GC (server/index.ts, --expose-gc).
  const nodeArgs = HEAP
    ? ["--heapsnapshot-signal=SIGUSR2", `--diagnostic-dir=${diagDir}`]
    : ["--expose-gc"];
  // The server logs the cut (warn) with the bytes it counted queued for the socket.
  let queuedAtCut = null;
  const onOutput = (chunk) => {
    for (const line of chunk.toString().split("\n")) {
      if (line.includes("not reading: dropped")) queuedAtCut = JSON.parse(line).bytes;
      else if (line.trim()) process.stderr.write(`server: ${line}\n`);
    }
  };
  const server = await startOurServer(dataDir, env, { nodeArgs, onOutput });
  const pid = server.child.pid;
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, rss(pid).rss);
  };
  const sampler = setInterval(sample, 50);
  try {
    const senderToken = await login(server.url, "sender");
    const stalledToken = await login(server.url, "stalled");
    const sender = io(server.url, {
      transports: ["websocket"],
      auth: { token: senderToken },
      reconnection: false,
    });
    await new Promise((resolve, reject) => {
      sender.once("connect", resolve);
      sender.once("connect_error", reject);
    });
    // Warm up (code paths, the store) so that "start" is a running server, not a cold one.
    for (let n = 0; n < 50; n++) await sender.emitWithAck("textmsg", { content: `warm-up ${n}` });
    await sleep(500);
    const start = await reading(server);
    const heapBefore = HEAP ? splitSnapshot(await takeSnapshot(server, diagDir)) : null;
    peak = start.rss;

    const stalled = STALLED ? await stalledClient(server.url, stalledToken) : null;
    // The stalled client cannot see its connection cut (it reads nothing): ask the server.
    let cutBy = null;
    const sent = await send(sender, (n) => {
      sample();
      if (!stalled || cutBy !== null || n % 500 !== 0) return;
      metrics(server.url).then((m) => {
        if (m.dropped >= 1 && cutBy === null) cutBy = n;
      });
    });
    const afterSends = await reading(server);
    // VmHWM catches what 50 ms samples miss (but a heap snapshot raises it too).
    peak = Math.max(peak, HEAP ? afterSends.rss : afterSends.hwm);
    const heapAfter = HEAP ? splitSnapshot(await takeSnapshot(server, diagDir)) : null;
    if (stalled) {
      stalled.ws._socket.resume();
      await Promise.race([stalled.closed, sleep(10_000)]);
    }
    await sleep(2000);
    // "end" is read after a full GC: what is still live, not what awaits collection.
    if (!HEAP) server.child.kill("SIGUSR2");
    await sleep(500);
    clearInterval(sampler);
    const end = await reading(server);
    sender.close();

    const delta = (key) => ({
      start: mb(start[key]),
      afterSends: mb(afterSends[key]),
      growth: mb(afterSends[key] - start[key]),
    });
    const result = {
      scenario: "stalled-reader",
      messages: MESSAGES,
      rate: RATE,
      size: SIZE,
      heapSnapshots: HEAP,
      sent,
      stalled: stalled
        ? {
            cut: end.dropped === 1,
            cutBy,
            queuedAtCutMB: queuedAtCut === null ? null : mb(queuedAtCut),
          }
        : null,
      rssMB: {
        start: mb(start.rss),
        peak: mb(peak),
        end: mb(end.rss),
        growth: mb(peak - start.rss),
      },
      mallocHeapMB: {
        start: mb(start.map.mallocHeap),
        afterSends: mb(afterSends.map.mallocHeap),
        growth: mb(afterSends.map.mallocHeap - start.map.mallocHeap),
      },
      anonMB: {
        start: mb(start.map.anon),
        afterSends: mb(afterSends.map.anon),
        growth: mb(afterSends.map.anon - start.map.anon),
      },
      heapTotalMB: delta("heapTotal"),
      oldSpaceMB: delta("oldSpace"),
      newSpaceMB: delta("newSpace"),
      externalMB: delta("external"),
      heapUsedMB: {
        start: mb(start.heapUsed),
        afterSends: mb(afterSends.heapUsed),
        end: mb(end.heapUsed),
      },
      recoveryBuffer: Number.isNaN(afterSends.recoveryBytes)
        ? null // a build without the gauge (before the byte bound)
        : { MB: mb(afterSends.recoveryBytes), packets: afterSends.recoveryPackets },
      liveHeapMB: HEAP ? { before: mb(heapBefore.heap), after: mb(heapAfter.heap) } : null,
      recoveryBufferRetainedMB: HEAP
        ? { before: mb(heapBefore.recoveryBuffer), after: mb(heapAfter.recoveryBuffer) }
        : null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const line = (label, value) => process.stdout.write(`${label.padEnd(48)} ${value}\n`);
    const growth = (v) => `${v.start} → ${v.afterSends} (+${v.growth})`;
    process.stdout.write(
      `\nstalled reader: ${MESSAGES} messages of ${SIZE} characters at up to ${RATE}/s (MB)\n`,
    );
    line("acked / failed, seconds", `${sent.acked} / ${sent.failed}, ${sent.seconds} s`);
    if (result.stalled) {
      const { cut, cutBy: by, queuedAtCutMB } = result.stalled;
      line(
        "stalled client cut off",
        cut
          ? `yes, by message ${by ?? "?"}, ${queuedAtCutMB} MB queued`
          : "no (its queue never passed the limit)",
      );
    }
    if (HEAP) {
      line("RSS", "not comparable: the snapshots take memory of their own");
    } else {
      line(
        "RSS start / peak / end",
        `${result.rssMB.start} / ${result.rssMB.peak} / ${result.rssMB.end}`,
      );
      line("RSS growth, start to peak", result.rssMB.growth);
      line("malloc heap (SQLite page cache, native)", growth(result.mallocHeapMB));
      line("anonymous (V8 heap, buffers, arenas)", growth(result.anonMB));
      line("V8 old space, committed", growth(result.oldSpaceMB));
      line("V8 new space, committed", growth(result.newSpaceMB));
      line("external (Buffers: frames, sockets)", growth(result.externalMB));
    }
    line(
      "heap used start / after sends / end (after a GC)",
      Object.values(result.heapUsedMB).join(" / "),
    );
    line(
      "recovery buffer after sends",
      result.recoveryBuffer
        ? `${result.recoveryBuffer.MB} MB, ${result.recoveryBuffer.packets} packets`
        : "no gauge (older build)",
    );
    if (HEAP) {
      line(
        "snapshot: live heap before / after",
        `${result.liveHeapMB.before} / ${result.liveHeapMB.after}`,
      );
      line(
        "snapshot: recovery buffer retained before / after",
        `${result.recoveryBufferRetainedMB.before} / ${result.recoveryBufferRetainedMB.after}`,
      );
    }
  } finally {
    clearInterval(sampler);
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(diagDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`stalled-reader failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
