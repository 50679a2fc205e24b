#!/usr/bin/env node
/* global fetch */
// Uploads at once: 20 clients each stream a 5 MB file to POST /api/uploads, all together.
// Reports throughput and the server's peak RSS growth over its idle RSS (sampled from
// /proc every 10 ms): streaming to disk keeps that small whatever the files add up to.
// Then the same with photos (JPEG, 12 megapixels), which are decoded and re-encoded one
// at a time. The server runs pinned to core 0 when `taskset` exists; this driver on core 1.
//   node bench/uploads.mjs [--clients N] [--mb N]
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { round } from "./lib.mjs";
import { startOurServer } from "./our-server.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};
const CLIENTS = arg("--clients", 20);
const MB = arg("--mb", 5);

function rssKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

async function login(url, name) {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, avatar: "fox" }),
  });
  return (await res.json()).token;
}

/** Streams one multipart upload of `size` bytes (from `source`, repeated) and resolves to its status. */
function upload(url, token, name, source, size) {
  const boundary = `----bench${crypto.randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n",
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname,
        port,
        path: "/api/uploads",
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": head.length + size + tail.length,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const chunk = source.subarray(0, Math.min(source.length, size - sent));
        sent += chunk.length;
        if (!req.write(chunk)) return req.once("drain", pump);
      }
      req.end(tail);
    };
    pump();
  });
}

async function round1(server, label, files) {
  const tokens = await Promise.all(files.map((_, n) => login(server.url, `${label}${n}`)));
  // Warm up: modules (sharp, file-type) loaded, then a moment of quiet.
  await upload(server.url, tokens[0], "warm.bin", Buffer.alloc(1024, 1), 1024);
  await new Promise((r) => setTimeout(r, 500));
  const idle = rssKb(server.pid);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssKb(server.pid))), 10);
  const started = performance.now();
  const statuses = await Promise.all(
    files.map((f, n) => upload(server.url, tokens[n], f.name, f.bytes, f.bytes.length)),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssKb(server.pid));
  const bytes = files.reduce((sum, f) => sum + f.bytes.length, 0);
  return {
    scenario: "uploads",
    files: label,
    clients: files.length,
    mbEach: round(files[0].bytes.length / 1e6, 2),
    ok: statuses.filter((s) => s === 201).length,
    seconds: round(seconds, 2),
    mbPerSecond: round(bytes / 1e6 / seconds, 1),
    idleRssMb: round(idle / 1024, 1),
    peakRssMb: round(peak / 1024, 1),
    rssGrowthMb: round((peak - idle) / 1024, 1),
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-uploads-"));
  const server = await startOurServer(dataDir, {
    UPLOAD_RATE_LIMIT: "1000",
    UPLOAD_MB_RATE_LIMIT: "100000",
    UPLOAD_MAX_BYTES: String(64 * 1024 * 1024),
    ...(process.env.MALLOC_ARENA_MAX && { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX }),
  });
  try {
    const random = crypto.randomBytes(MB * 1e6);
    const plain = Array.from({ length: CLIENTS }, (_, n) => ({ name: `f${n}.bin`, bytes: random }));
    console.log(JSON.stringify(await round1(server, "random bytes", plain)));
    // A noisy 4000×3000 photo: about 5 MB as JPEG, like a phone's.
    const noise = crypto.randomBytes(4000 * 3000 * 3);
    const photo = await sharp(noise, { raw: { width: 4000, height: 3000, channels: 3 } })
      .jpeg({ quality: 60 })
      .toBuffer();
    const photos = Array.from({ length: CLIENTS }, (_, n) => ({ name: `p${n}.jpg`, bytes: photo }));
    console.log(JSON.stringify(await round1(server, "photos", photos)));
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
