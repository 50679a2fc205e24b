/* global fetch, FormData, Blob */
// Soak: `npm run soak -- --minutes N`. Hours of churn in minutes: `dist/server/index.js` (SQLite,
// `node --expose-gc`) under a bounded load of connect/disconnect waves, group and private
// messages, reactions and uploads. Every SAMPLE_S the driver sends the server SIGUSR2 (a full
// GC; see server/index.ts) and reads /metrics from loopback: RSS after GC, heap, event-loop lag.
// At the end every ok-acked message must be in history. Target (issue 14): final RSS within
// +10% of the RSS after warm-up, 0 lost acked messages, 0 unexpected errors.
import sharp from "sharp";
import { io } from "socket.io-client";
import { round, startSoakServer } from "./soak-server.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MINUTES = arg("minutes", 5);
const STEADY = arg("steady", 10); // users connected all along
const WAVE = arg("wave", 20); // users connecting, talking and leaving per wave
const WAVE_S = 10;
const SAMPLE_S = arg("sample", MINUTES >= 10 ? 60 : 20);
// Past Socket.IO's recovery window (2 min): it holds every packet sent in it, the seed's too.
const WARMUP_S = arg("warmup", MINUTES >= 5 ? 150 : 30);
// History written before the load starts, in MB: SQLite's page cache (16 MB by default in
// better-sqlite3) fills as the database grows, which on an empty database reads as RSS growth.
// A chat that has run for a while has more history than that; 0 starts empty.
const SEED_MB = arg("seed", 24);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const errors = [];
const unexpected = (what) => {
  if (errors.length < 50) errors.push(what);
  else errors.length++;
};
// Ok-acked group messages; private ones are kept per churn user (checked before it logs out).
const acked = new Set();
let ackedCount = 0;
let lost = 0;
let uploads = 0;
let reactions = 0;

// ---------------------------------------------------------------------------------------
// Clients

async function login(url, name) {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, avatar: "fox" }),
  });
  if (res.status !== 201) throw new Error(`login ${name}: ${res.status}`);
  return (await res.json()).token;
}

function connect(url, token) {
  const socket = io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: { token },
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

function call(socket, event, payload) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: { code: "timeout" } }), 10_000);
    socket.emit(event, payload, (ack) => {
      clearTimeout(timer);
      resolve(ack);
    });
  });
}

async function sendMessage(socket, payload, into = acked) {
  const ack = await call(socket, "textmsg", payload);
  if (!ack.ok) return unexpected(`textmsg: ${ack.error.code}`);
  into.add(ack.message.id);
  ackedCount++;
  return ack.message;
}

/** Counts the user's ok-acked private messages to `peer` missing from their history. */
async function checkPrivate(socket, user, peer) {
  const stored = await allHistory(socket, peer);
  for (const id of user.sent) if (!stored.has(id)) lost++;
  user.sent.clear();
}

const EMOJI = ["👍", "🎉", "❤️", "😂"];
async function react(socket, id) {
  const ack = await call(socket, "message:react", { id, emoji: EMOJI[reactions % EMOJI.length] });
  if (!ack.ok) return unexpected(`react: ${ack.error.code}`);
  reactions++;
}

let picture;
async function upload(url, token, socket) {
  picture ??= await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 90, b: 40 } },
  })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append("file", new Blob([picture], { type: "image/png" }), "soak.png");
  const res = await fetch(`${url}/api/uploads`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  if (res.status !== 201) return unexpected(`upload: ${res.status} ${await res.text()}`);
  const { upload: file } = await res.json();
  uploads++;
  await sendMessage(socket, { content: "", attachments: [file.id] });
}

// ---------------------------------------------------------------------------------------
// Load

/** Steady users: one message each per ~2 s, reactions on what they hear. */
function steadyUser(url, name, token, socket, stopAt) {
  let last;
  socket.on("textmsg", (m) => (last = m.id));
  socket.on("disconnect", (reason) => {
    if (Date.now() < stopAt) unexpected(`steady ${name} disconnected: ${reason}`);
  });
  return (async () => {
    for (let n = 0; Date.now() < stopAt; n++) {
      await sleep(1500 + Math.random() * 1000);
      await sendMessage(socket, { content: `${name} #${n}` });
      if (last && n % 3 === 0) await react(socket, last);
      if (n % 15 === 7) await upload(url, token, socket);
    }
  })();
}

/** A wave: every churn user connects, talks (group and private), reacts, and leaves. */
async function wave(url, churn, n, steadyNames) {
  await Promise.all(
    churn.map(async (user, i) => {
      const peer = steadyNames[i % steadyNames.length];
      let socket;
      try {
        socket = await connect(url, user.token);
      } catch (err) {
        return unexpected(`connect ${user.name}: ${err.message}`);
      }
      const first = await sendMessage(socket, { content: `${user.name} wave ${n}` });
      await sendMessage(socket, { content: `psst ${n}`, to: peer, cid: `w${n}-${i}` }, user.sent);
      if (first) await react(socket, first.id);
      await call(socket, "history", { limit: 20 });
      await sleep(Math.random() * 3000);
      // Every fifth wave a third of them log out and come back under the same nickname
      // (a new user: their private talk so far is checked first).
      if (n % 5 === 4 && i % 3 === 0) {
        await checkPrivate(socket, user, peer);
        await fetch(`${url}/api/session`, {
          method: "DELETE",
          headers: { authorization: `Bearer ${user.token}` },
        });
        user.token = await login(url, user.name);
      }
      socket.close();
    }),
  );
}

async function allHistory(socket, peer) {
  const ids = new Set();
  let after = "0";
  for (;;) {
    const ack = await call(socket, "history", { limit: 100, after, ...(peer && { with: peer }) });
    if (!ack.ok) throw new Error(`history: ${ack.error.code}`);
    if (ack.messages.length === 0) return ids;
    for (const m of ack.messages) ids.add(m.id);
    after = ack.messages[ack.messages.length - 1].id;
  }
}

// ---------------------------------------------------------------------------------------

async function main() {
  const server = await startSoakServer(unexpected);
  let started = Date.now();
  console.log(
    `soak: ${MINUTES} min, ${STEADY} steady users, waves of ${WAVE} every ${WAVE_S} s, ` +
      `warm-up ${WARMUP_S} s, samples every ${SAMPLE_S} s, seed ${SEED_MB} MB`,
  );
  if (SEED_MB > 0) {
    const seeder = await connect(server.url, await login(server.url, "seeder"));
    const content = "s".repeat(2000);
    const count = Math.ceil((SEED_MB * 1e6) / 2100);
    for (let i = 0; i < count; i += 50) {
      await Promise.all(Array.from({ length: 50 }, () => sendMessage(seeder, { content })));
    }
    seeder.close();
    console.log(
      `seeded ${count} messages (${SEED_MB} MB) in ${round((Date.now() - started) / 1000)} s`,
    );
  }
  // The N minutes start after the seed.
  started = Date.now();
  const stopAt = started + MINUTES * 60_000;
  const steady = [];
  for (let i = 0; i < STEADY; i++) {
    const name = `steady${i}`;
    const token = await login(server.url, name);
    steady.push({ name, token, socket: await connect(server.url, token) });
  }
  const churn = [];
  for (let i = 0; i < WAVE; i++) {
    const name = `churn${i}`;
    churn.push({ name, token: await login(server.url, name), sent: new Set() });
  }
  const talking = steady.map((u) => steadyUser(server.url, u.name, u.token, u.socket, stopAt));
  const waves = (async () => {
    for (let n = 0; Date.now() < stopAt; n++) {
      const next = Date.now() + WAVE_S * 1000;
      await wave(
        server.url,
        churn,
        n,
        steady.map((u) => u.name),
      );
      await sleep(Math.max(0, next - Date.now()));
    }
  })();

  const samples = [];
  let baseline;
  const sampler = (async () => {
    await sleep(WARMUP_S * 1000);
    for (;;) {
      const s = { min: round((Date.now() - started) / 60_000), ...(await server.sample()) };
      baseline ??= s.rssMb;
      samples.push({ ...s, acked: ackedCount });
      console.log(JSON.stringify(samples.at(-1)));
      if (Date.now() + SAMPLE_S * 1000 > stopAt) return;
      await sleep(SAMPLE_S * 1000);
    }
  })();
  await Promise.all([...talking, waves, sampler]);
  await sleep(3000); // the last waves' sockets close; quiet point
  const final = { min: round((Date.now() - started) / 60_000), ...(await server.sample()) };

  // Every ok-acked message is in history: the group's, and each churn user's private talk.
  const stored = await allHistory(steady[0].socket);
  for (const id of acked) if (!stored.has(id)) lost++;
  for (const [i, c] of churn.entries()) {
    const socket = await connect(server.url, c.token);
    await checkPrivate(socket, c, steady[i % steady.length].name);
    socket.close();
  }
  for (const u of steady) u.socket.close();
  const exit = await server.stop();
  if (exit !== 0) unexpected(`server exited with ${exit}`);

  const growth = round(((final.rssMb - baseline) / baseline) * 100);
  const report = {
    minutes: MINUTES,
    ackedMessages: ackedCount,
    reactions,
    uploads,
    lost,
    unexpectedErrors: errors.length,
    rssAfterWarmupMb: baseline,
    rssFinalMb: final.rssMb,
    rssGrowthPct: growth,
    heapFinalMb: final.heapMb,
    lagP99MaxMs: Math.max(...samples.map((s) => s.lagP99Ms), final.lagP99Ms),
    lagMaxMs: Math.max(...samples.map((s) => s.lagMaxMs), final.lagMaxMs),
    final,
  };
  console.log(JSON.stringify(report, null, 2));
  for (const e of errors.slice(0, 20)) console.log(`unexpected: ${e}`);
  const pass = lost === 0 && errors.length === 0 && growth <= 10;
  console.log(pass ? "soak: PASS" : "soak: FAIL");
  process.exit(pass ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
