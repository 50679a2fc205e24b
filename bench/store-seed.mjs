// The store that bench/store-scale.mjs measures: a deterministic generator (every run
// searches the same store), a made-up vocabulary with a Zipf-like spread, and the seed itself,
// written with plain SQL into the schema the server created.
import Database from "better-sqlite3";

// A deterministic generator, so every run searches the same store.
let seed = 42;
export function rand() {
  // mulberry32: 32-bit integer steps, exact in JavaScript numbers.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const pick = (list) => list[Math.floor(rand() * list.length)];
// 5,000 distinct made-up words of 2 to 4 syllables, like a language's vocabulary.
const SYLLABLES =
  "ba be bi bo da de di do fa fe ka ke ki ko la le li lo ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo".split(
    " ",
  );
export const WORDS = [];
for (const seen = new Set(); WORDS.length < 5000;) {
  let w = "";
  for (let n = 2 + Math.floor(rand() * 3); n > 0; n--) w += pick(SYLLABLES);
  if (seen.has(w)) continue;
  seen.add(w);
  WORDS.push(w);
}
/** Long words from the tail of the distribution: few matches, so the whole index is walked. */
export const RARE = WORDS.slice(2500).filter((w) => w.length >= 8);
export const CHINESE = [
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

/**
 * Fills the SQLite file of a server that created its schema and stopped: `messages` messages
 * over the group room, `rooms` open rooms and private pairs. `member`: the user whose `rooms`
 * snapshot is measured, put in `memberOf` rooms with a read mark at a random point in each.
 */
export function seedStore(file, member, { messages: MESSAGES, rooms: ROOMS, memberOf: MEMBER_OF }) {
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
  // The full-text index, a batch at a time, as the server's SearchIndexer adds to it.
  const index = db.prepare(
    `INSERT INTO messages_fts (rowid, content) SELECT seq, content FROM messages WHERE seq > ?`,
  );
  const indexed = db.prepare(`UPDATE search_indexed SET upto = (SELECT MAX(seq) FROM messages)`);
  const upto = db.prepare(`SELECT upto FROM search_indexed`).pluck();
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
      index.run(upto.get());
      indexed.run();
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
