// Uploads: `--upload-clients` (20) users each upload one `--upload-mb` (5) MB file at once to
// `POST /api/uploads` (multipart field `file`, Bearer auth; 201 {upload}). Reported: the
// throughput of all of them together and the server's peak RSS, sampled from
// /proc/<pid>/status every 10 ms (and VmHWM). The reference is a bare Node HTTP server that
// reads each body and throws it away. A server without the route (404) is reported as
// skipped.
import crypto from "node:crypto";
import http from "node:http";
import sharp from "sharp";
import { round, sleep } from "../lib.mjs";
import { quiesce, readCpuUs, readMem } from "../harness/proc.mjs";
import { authsFor, makeUsers } from "../harness/workers.mjs";

const CHUNK = 256 * 1024;

/** Streams one multipart upload of `size` bytes from `data`; resolves { status, json, ms }. */
function upload(port, token, name, data, size) {
  const boundary = `----bench${crypto.randomBytes(8).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/uploads",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": `multipart/form-data; boundary=${boundary}`,
          "content-length": head.length + size + tail.length,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, json, ms: performance.now() - t0 });
        });
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error("upload timeout")));
    // The server may answer (404, 413) before reading everything: that is an answer too.
    req.on("error", reject);
    req.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(CHUNK, size - sent);
        const ok = req.write(data.subarray(sent % data.length, (sent % data.length) + n));
        sent += n;
        if (!ok) return void req.once("drain", pump);
      }
      req.end(tail);
    };
    pump();
  });
}

/** A noisy 4000×3000 photo: about 5 MB as JPEG, like a phone's. */
function photo() {
  const noise = crypto.randomBytes(4000 * 3000 * 3);
  return sharp(noise, { raw: { width: 4000, height: 3000, channels: 3 } })
    .jpeg({ quality: 60 })
    .toBuffer();
}

async function run(ctx) {
  const { opts, srv } = ctx;
  const n = opts.uploadClients;
  const auths = await authsFor(srv, makeUsers(n), opts);
  // Random bytes (no image, no text: stored as they are), or photos the server re-encodes.
  const data = opts.uploadPhotos ? await photo() : crypto.randomBytes(4 * CHUNK);
  const size = opts.uploadPhotos ? data.length : Math.round(opts.uploadMb * 2 ** 20);
  // A photo must be whole to decode; random bytes need only a few.
  const probeSize = opts.uploadPhotos ? data.length : 1024;
  const probe = await upload(srv.port, auths[0].token, "probe.bin", data, probeSize);
  if (probe.status === 404) return { skipped: "uploads route not available (404)" };
  if (probe.status !== 201)
    throw new Error(`probe upload: ${probe.status} ${JSON.stringify(probe.json)}`);
  await quiesce(srv.pid);
  const mem0 = readMem(srv.pid);
  const cpu0 = readCpuUs(srv.pid);
  let peak = mem0.rss;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, readMem(srv.pid).rss);
      await sleep(10);
    }
  })();
  const t0 = performance.now();
  const results = await Promise.all(
    auths.map((a, i) =>
      upload(srv.port, a.token, `bench-${i}.${opts.uploadPhotos ? "jpg" : "bin"}`, data, size),
    ),
  );
  const wallMs = performance.now() - t0;
  sampling = false;
  await sampler;
  const cpuUs = readCpuUs(srv.pid) - cpu0;
  const mem1 = readMem(srv.pid);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
  const ok = results.filter((r) => r.status === 201).length;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const mb = 2 ** 20;
  return {
    clients: n,
    files: opts.uploadPhotos ? "photos" : "random bytes",
    fileMB: round(size / 2 ** 20, 2),
    inFlightMB: round((n * size) / mb),
    statuses,
    uploaded: ok,
    wallMs: Math.round(wallMs),
    throughputMBps: round((ok * size) / mb / (wallMs / 1000), 1),
    uploadMsP50: Math.round(times[Math.floor(times.length / 2)]),
    uploadMsMax: Math.round(times.at(-1)),
    serverRssBeforeMB: round(mem0.rss / mb),
    serverRssPeakMB: round(peak / mb),
    rssGrowthMB: round((peak - mem0.rss) / mb),
    hwmGrowthMB: round(Math.max(0, mem1.hwm - mem0.hwm) / mb),
    serverCpuMsPerMB: ok ? round(cpuUs / 1000 / ((ok * size) / mb), 2) : null,
  };
}

export default {
  name: "uploads",
  references: ["upload-sink"],
  run,
  figures: [
    ["uploaded (of clients)", (r) => `${r.uploaded} / ${r.clients}`],
    ["throughput MB/s", (r) => r.throughputMBps],
    ["upload ms p50 / max", (r) => r.uploadMsP50 && `${r.uploadMsP50} / ${r.uploadMsMax}`],
    ["server RSS peak growth MB", (r) => r.rssGrowthMB],
    ["server CPU ms/MB", (r) => r.serverCpuMsPerMB],
  ],
};
