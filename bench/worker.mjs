// A load-generator worker process (forked by run.mjs, IPC with advanced serialization).
// It holds a slice of the clients: receivers, and possibly senders (every sender also
// receives). Per delivery it does: one clock read, a byte-level parse of the bench content,
// a histogram increment, a per-(sender,seq) counter and a per-(client,sender) order check.
//
// Messages from the parent:
//   { type: "init", url, clients: [{ name, auth, sender, to?, room? }], nSenders,
//     connectConcurrency, reconnect }                                  -> { type: "connected" }
//   { type: "phase", phase, startAt, endAt, rates: { [sender]: msgPerSec }, pad }
//                                                         -> periodic { type: "progress" }
//   { type: "drop", count }        abortively closes `count` receivers' sockets (they reconnect)
//   { type: "collect" }                                               -> { type: "stats" }
//   { type: "close" }                                                 -> exit
import { SioClient, decodeAckArgs, eventOffset } from "./client.mjs";
import {
  nowUs,
  newHist,
  bucketOf,
  parseBenchFrame,
  isTextmsgFrame,
  makeContent,
  mapLimit,
  bump,
  sleep,
} from "./lib.mjs";

const send = (msg) => process.send(msg);

let url = "";
let clients = [];
let senders = [];
let nSenders = 0;
let reconnectEnabled = true;
let shuttingDown = false;

// Per-phase receive state
let phase = -1;
let endAt = 0;
let hist = newHist();
let counts = []; // counts[sender][seq] = deliveries of that message to this worker's clients
let received = 0;
let inWindow = 0;
let stale = 0;
let reorders = 0;
let firstRecv = 0;
let lastRecv = 0;
let otherEvents = 0;
let disconnects = 0;
let reconnects = 0;
let recoveredSessions = 0;
let reconnectFailures = 0;

// Per-phase send state
let ackHist = newHist();
let sendTimer = null;
let sendingDone = true;
let sentTotal = 0;
let ackedTotal = 0;
let ackErrors = {};
let sendSkipped = 0;

const fields = new Float64Array(4);

function onEventFrame(buf, client) {
  if (!isTextmsgFrame(buf)) {
    otherEvents++;
    return;
  }
  const t = nowUs();
  if (!parseBenchFrame(buf, fields)) {
    otherEvents++;
    return;
  }
  if (fields[0] !== phase) {
    stale++;
    return;
  }
  const s = fields[1];
  const q = fields[2];
  hist[bucketOf(t - fields[3])]++;
  received++;
  if (t <= endAt) inWindow++;
  if (firstRecv === 0) firstRecv = t;
  lastRecv = t;
  bump(counts, s, q);
  const last = client.lastSeq;
  if (last[s] >= q) reorders++;
  else last[s] = q;
  if (client.sio.pid !== null) client.lastFrame = buf; // for connection state recovery
}

function onAckFrame(id, buf, client) {
  const sd = client.sd;
  if (sd === undefined || sd.phase !== phase) return;
  const seq = id - sd.ackBase;
  if (seq < 0 || seq >= sd.sent || sd.ack[seq] !== 0) return;
  ackHist[bucketOf(nowUs() - sd.sendT[seq])]++;
  ackedTotal++;
  let res;
  try {
    res = decodeAckArgs(buf)[0];
  } catch {
    res = null;
  }
  if (res && res.ok === true) {
    sd.ack[seq] = 1;
  } else {
    sd.ack[seq] = 2;
    const code = (res && res.error && res.error.code) || "malformed_ack";
    ackErrors[code] = (ackErrors[code] || 0) + 1;
  }
}

function onClose(code, reason, client) {
  if (shuttingDown) return;
  disconnects++;
  if (reconnectEnabled) scheduleReconnect(client, 1);
}

function scheduleReconnect(client, attempt) {
  if (shuttingDown || attempt > 10) {
    if (attempt > 10) reconnectFailures++;
    return;
  }
  setTimeout(
    async () => {
      if (shuttingDown) return;
      const auth = { ...client.auth };
      if (client.sio.pid !== null) {
        // Socket.IO connection state recovery: the server replays what we missed.
        auth.pid = client.sio.pid;
        const offset = client.lastFrame ? eventOffset(client.lastFrame) : null;
        if (offset !== null) auth.offset = offset;
      }
      try {
        await client.sio.connect(auth);
        reconnects++;
        if (client.sio.recovered) recoveredSessions++;
      } catch {
        scheduleReconnect(client, attempt + 1);
      }
    },
    200 + Math.random() * 300 * attempt,
  );
}

async function init(msg) {
  url = msg.url;
  nSenders = msg.nSenders;
  reconnectEnabled = msg.reconnect !== false;
  clients = msg.clients.map((c) => {
    const client = {
      name: c.name,
      auth: c.auth,
      sio: null,
      lastSeq: new Int32Array(Math.max(1, nSenders)).fill(-1),
      lastFrame: null,
      sd: undefined,
    };
    client.sio = new SioClient(url, {
      onEventFrame: (buf) => onEventFrame(buf, client),
      onAckFrame: (id, buf) => onAckFrame(id, buf, client),
      onClose: (code, reason) => onClose(code, reason, client),
    });
    if (c.sender >= 0) {
      client.sd = {
        idx: c.sender,
        client,
        toJson: c.to
          ? `,"to":${JSON.stringify(c.to)}`
          : c.room
            ? `,"room":${JSON.stringify(c.room)}`
            : "",
        phase: -1,
        rate: 0,
        offset: 0,
        ackBase: 0,
        sent: 0,
        sendT: new Float64Array(64),
        ack: new Uint8Array(64),
      };
      senders.push(client.sd);
    }
    return client;
  });
  const t0 = Date.now();
  const errors = {};
  let failed = 0;
  await mapLimit(clients, msg.connectConcurrency || 25, async (client) => {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await client.sio.connect(client.auth);
        return;
      } catch (err) {
        if (attempt === 2 || err.connectError) {
          failed++;
          errors[err.message] = (errors[err.message] || 0) + 1;
          return;
        }
        await sleep(100 + Math.random() * 200);
      }
    }
  });
  send({ type: "connected", ok: clients.length - failed, failed, errors, ms: Date.now() - t0 });
}

function startPhase(msg) {
  phase = msg.phase;
  endAt = msg.endAt;
  hist = newHist();
  ackHist = newHist();
  counts = [];
  received = inWindow = stale = reorders = firstRecv = lastRecv = otherEvents = 0;
  sentTotal = ackedTotal = sendSkipped = 0;
  ackErrors = {};
  for (const c of clients) c.lastSeq.fill(-1);
  const pad = msg.pad > 0 ? " " + "x".repeat(msg.pad) : "";
  const active = [];
  for (const sd of senders) {
    const rate = msg.rates[sd.idx] || 0;
    sd.phase = phase;
    sd.rate = rate / 1e6; // per µs
    sd.offset = ((sd.idx * 0.618034) % 1) * 0.999; // spreads senders' first sends over 1/rate
    sd.ackBase = sd.client.sio.nextAckId;
    sd.sent = 0;
    sd.ack.fill(0);
    if (rate > 0) active.push(sd);
  }
  sendingDone = active.length === 0;
  const progress = setInterval(() => {
    send({ type: "progress", phase, received, sent: sentTotal, acked: ackedTotal, sendingDone });
    if (phase !== msg.phase) clearInterval(progress);
  }, 200);
  if (active.length === 0) return;
  const startAt = msg.startAt;
  // Each sender s sends its k-th message (k = 1, 2, ...) at startAt + (k - offset_s) / rate_s;
  // the timer sleeps until the earliest due send, so idle senders cost no wake-ups.
  const tick = () => {
    sendTimer = null;
    const now = nowUs();
    const el = Math.min(now, endAt) - startAt;
    let nextDue = Infinity;
    for (let i = 0; i < active.length; i++) {
      const sd = active[i];
      if (el >= 0) {
        const target = Math.floor(el * sd.rate + sd.offset);
        while (sd.sent < target) sendOne(sd, pad);
      }
      const due = startAt + (sd.sent + 1 - sd.offset) / sd.rate;
      if (due < nextDue) nextDue = due;
    }
    if (now >= endAt || nextDue >= endAt) {
      sendingDone = true;
      return;
    }
    sendTimer = setTimeout(tick, Math.max(0, (nextDue - nowUs()) / 1000));
  };
  if (sendTimer) clearTimeout(sendTimer);
  tick();
}

function sendOne(sd, pad) {
  const seq = sd.sent++;
  if (seq >= sd.sendT.length) {
    const t2 = new Float64Array(sd.sendT.length * 2);
    t2.set(sd.sendT);
    sd.sendT = t2;
    const a2 = new Uint8Array(sd.ack.length * 2);
    a2.set(sd.ack);
    sd.ack = a2;
  }
  const sio = sd.client.sio;
  if (!sio.connected) {
    // counted as offered but never sent; its ack state stays 3 so nobody expects it
    sd.ack[seq] = 3;
    sendSkipped++;
    sio.nextAckId++; // keep ack ids aligned with seq
    return;
  }
  const t = nowUs();
  sd.sendT[seq] = t;
  sio.sendEventJson(
    `["textmsg",{"content":"${makeContent(sd.phase, sd.idx, seq, t, pad)}"${sd.toJson}}]`,
    true,
  );
  sentTotal++;
}

function collect() {
  const sendStats = senders
    .filter((sd) => sd.phase === phase)
    .map((sd) => ({ idx: sd.idx, sent: sd.sent, ack: sd.ack.slice(0, sd.sent) }));
  const countList = [];
  counts.forEach((a, s) => countList.push([s, a]));
  send({
    type: "stats",
    phase,
    hist,
    ackHist,
    counts: countList,
    received,
    inWindow,
    stale,
    reorders,
    firstRecv,
    lastRecv,
    otherEvents,
    disconnects,
    reconnects,
    recoveredSessions,
    reconnectFailures,
    connectedNow: clients.reduce((n, c) => n + (c.sio.connected ? 1 : 0), 0),
    binaryFrames: clients.reduce((n, c) => n + c.sio.binaryFrames, 0),
    senders: sendStats,
    sentTotal,
    sendSkipped,
    ackedTotal,
    ackErrors,
    cpu: process.cpuUsage(),
    rssBytes: process.memoryUsage.rss(),
  });
}

process.on("message", (msg) => {
  switch (msg.type) {
    case "init":
      init(msg).catch((err) => send({ type: "fatal", error: String(err && err.stack) }));
      break;
    case "phase":
      startPhase(msg);
      break;
    case "collect":
      collect();
      break;
    case "drop": {
      // Abortive close of some receivers' sockets (as if the network dropped them): they
      // reconnect by themselves and, where the server supports it, recover what they missed.
      let n = msg.count;
      for (const c of clients) {
        if (n <= 0) break;
        if (c.sd === undefined && c.sio.connected) {
          c.sio.ws.terminate();
          n--;
        }
      }
      break;
    }
    case "cpu":
      send({ type: "cpu", cpu: process.cpuUsage() });
      break;
    case "close":
      shuttingDown = true;
      if (sendTimer) clearTimeout(sendTimer);
      for (const c of clients) c.sio.terminate();
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
process.on("disconnect", () => process.exit(0));
