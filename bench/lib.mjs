// Shared helpers of the benchmark: a system-wide clock, a latency histogram, the
// bench message content format and its allocation-free parser.

/**
 * Microseconds on CLOCK_MONOTONIC. process.hrtime() reads the same system-wide clock in
 * every process, so a send time taken in one process and a receive time taken in another
 * can be subtracted directly.
 */
export function nowUs() {
  const t = process.hrtime();
  return t[0] * 1e6 + Math.floor(t[1] / 1e3);
}

// ---------------------------------------------------------------------------------------
// Latency histogram (values in µs): 10 µs buckets below 10 ms, 1 ms buckets below 1 s,
// 100 ms buckets below 60 s, one overflow bucket. Percentiles report the bucket's upper
// bound, so they err on the slow side by at most one bucket.

export const HIST_BUCKETS = 1000 + 990 + 590 + 1;

export function newHist() {
  return new Uint32Array(HIST_BUCKETS);
}

export function bucketOf(us) {
  if (us < 10_000) return us < 0 ? 0 : (us / 10) | 0;
  if (us < 1_000_000) return 1000 + (((us - 10_000) / 1000) | 0);
  if (us < 60_000_000) return 1990 + (((us - 1_000_000) / 100_000) | 0);
  return HIST_BUCKETS - 1;
}

/** Upper bound of a bucket, in µs. */
function bucketUpperUs(i) {
  if (i < 1000) return (i + 1) * 10;
  if (i < 1990) return 10_000 + (i - 999) * 1000;
  if (i < HIST_BUCKETS - 1) return 1_000_000 + (i - 1989) * 100_000;
  return Infinity;
}

export function histAdd(into, h) {
  for (let i = 0; i < HIST_BUCKETS; i++) into[i] += h[i];
  return into;
}

export function histCount(h) {
  let n = 0;
  for (let i = 0; i < HIST_BUCKETS; i++) n += h[i];
  return n;
}

/** Percentile (0..100) in milliseconds, or null for an empty histogram. */
export function histPercentileMs(h, p) {
  const n = histCount(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  let seen = 0;
  for (let i = 0; i < HIST_BUCKETS; i++) {
    seen += h[i];
    if (seen >= rank) return round(bucketUpperUs(i) / 1000, 2);
  }
  return null;
}

export function histMaxMs(h) {
  for (let i = HIST_BUCKETS - 1; i >= 0; i--)
    if (h[i] > 0) return round(bucketUpperUs(i) / 1000, 2);
  return null;
}

export function round(x, digits = 1) {
  if (x === null || x === undefined || !Number.isFinite(x)) return x ?? null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------------------------------------------------------------------------------------
// Bench message content: "~<phase>:<sender>:<seq>:<sendTimeUs>" optionally followed by a
// space and padding. Only ASCII digits, ':', '~' and 'x', so JSON never escapes it and it
// can be found in the raw frame bytes.

export function makeContent(phase, sender, seq, t, pad) {
  return `~${phase}:${sender}:${seq}:${t}${pad}`;
}

/** The bytes that precede the content inside a JSON-encoded Message. */
export const CONTENT_NEEDLE = Buffer.from('"content":"~');
const NEEDLE_LEN = CONTENT_NEEDLE.length;

/**
 * Parses the bench fields out of a raw `42["textmsg",{...}]` frame without decoding it.
 * Writes phase, sender, seq and send time into `out` (a Float64Array(4)) and returns true,
 * or returns false when the frame is not a bench message.
 */
export function parseBenchFrame(buf, out) {
  const start = buf.indexOf(CONTENT_NEEDLE, 12);
  if (start < 0) return false;
  let p = start + NEEDLE_LEN;
  const len = buf.length;
  for (let field = 0; field < 4; field++) {
    let v = 0;
    let digits = 0;
    let c = 0;
    while (p < len) {
      c = buf[p++];
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) return false;
    // fields are separated by ':'; the last ends the string ('"') or meets the padding (' ')
    if (field < 3 ? c !== 58 : c !== 34 && c !== 32) return false;
    out[field] = v;
  }
  return true;
}

/** True when a text frame starts with `42["tex` (the only event name starting so is textmsg). */
export function isTextmsgFrame(buf) {
  return (
    buf.length > 14 &&
    buf[0] === 0x34 &&
    buf[1] === 0x32 &&
    buf[2] === 0x5b &&
    buf[3] === 0x22 &&
    buf[4] === 0x74 &&
    buf[5] === 0x65 &&
    buf[6] === 0x78
  );
}

// ---------------------------------------------------------------------------------------

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs `fn(item, index)` over `items` with at most `limit` promises in flight. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function lane() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** A growable Uint32Array counter indexed by a small non-negative integer. */
export function bump(arrays, key, index) {
  let a = arrays[key];
  if (a === undefined || index >= a.length) {
    const grown = new Uint32Array(Math.max(64, index + 1, a ? a.length * 2 : 0));
    if (a) grown.set(a);
    arrays[key] = a = grown;
  }
  a[index]++;
}

export const AVATARS = [
  "fox",
  "owl",
  "cat",
  "bear",
  "panda",
  "frog",
  "penguin",
  "robot",
  "koala",
  "lion",
  "rabbit",
  "whale",
];
