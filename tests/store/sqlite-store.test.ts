import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteStore } from "../../server/store/sqlite-store";
import { INDEX_BATCH, INDEX_DELAY_MS } from "../../server/store/sqlite-search-index";
import { SQLITE_MIGRATIONS } from "../../server/store/sqlite-migrations";
import { GROUP_CONVERSATION, formatMessageId } from "../../server/store/types";
import { searchTerms } from "../../server/store/search-store";
import { tempDir } from "../support/server";
import { describeRoomStoresContract } from "./room-store-contract";
import { SqliteBanStore } from "../../server/store/sqlite-ban-store";
import { SqliteSessionStore } from "../../server/store/sqlite-session-store";
import { SqliteReadStateStore } from "../../server/store/sqlite-read-store";
import { describeSessionStoreContract } from "./session-store-contract";
import { describeStoreContract } from "./store-contract";
import { describeMessageActionsContract } from "./message-actions-contract";
import { storesOn } from "../../server/store/create-store";
import { describeUploadStoreContract } from "./upload-store-contract";
import { describePushStoreContract } from "./push-store-contract";
import { describeAccountStoreContract } from "./account-store-contract";
import { describePasskeyStoreContract } from "./passkey-store-contract";
import { describeAvatarStoreContract } from "./avatar-store-contract";

let dir = "";
describeStoreContract(
  "SQLite",
  async () => {
    dir = tempDir("chat-store-");
    return new SqliteStore(path.join(dir, "chat.db"));
  },
  async () => fs.rmSync(dir, { recursive: true, force: true }),
);

describeRoomStoresContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-rooms-"), "chat.db"))),
);
describeAccountStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-accounts-"), "chat.db"))),
);
describePushStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-push-"), "chat.db"))),
);
describePasskeyStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-passkeys-"), "chat.db"))),
);
describeSessionStoreContract("SQLite", async () => {
  const store = new SqliteStore(":memory:");
  return {
    sessions: new SqliteSessionStore(store.db),
    bans: new SqliteBanStore(store.db),
    close: () => store.close(),
  };
});

describeMessageActionsContract(
  "SQLite",
  async () => storesOn(new SqliteStore(path.join(tempDir("chat-actions-"), "chat.db"))),
  async (s) => {
    // Every byte of the database file and its write-ahead log, as text.
    const file = (s.store as SqliteStore).db.name;
    return [file, `${file}-wal`]
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f).toString("latin1"))
      .join("\n");
  },
  (s) => (s.store as SqliteStore).searchIndex.indexNow(),
);

describeUploadStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-uploads-"), "chat.db"))),
);
describeAvatarStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-avatars-"), "chat.db"))),
);
describe("SQLite migrations", () => {
  it("bring an empty file to the latest version, and are idempotent on reopen", async () => {
    const file = path.join(tempDir(), "chat.db");
    const store = new SqliteStore(file);
    await store.append(
      {
        from: { id: "u", name: "U", avatar: "fox" },
        conversation: GROUP_CONVERSATION,
        content: "kept",
        ts: 1,
      },
      0,
    );
    await store.close();
    const reopened = new SqliteStore(file);
    expect(
      (await reopened.history({ conversation: GROUP_CONVERSATION, limit: 5 }))[0].content,
    ).toBe("kept");
    await reopened.close();
    const db = new Database(file);
    expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("migrate v1 data in place: group history and sessions stay readable", async () => {
    const file = path.join(tempDir(), "chat.db");
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]);
    v1.pragma("user_version = 1");
    v1.prepare(
      `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
       VALUES ('group', 'u1', 'Old', 'fox', 'from v1', 5)`,
    ).run();
    v1.prepare(
      `INSERT INTO sessions (user_id, token_hash, name, name_key, avatar, created_at, last_seen_at)
       VALUES ('u1', 'hash', 'Old', 'old', 'fox', 1, ?)`,
    ).run(Date.now());
    v1.close();
    const store = new SqliteStore(file);
    const [m] = await store.history({ conversation: GROUP_CONVERSATION, limit: 5 });
    expect(m).toMatchObject({ content: "from v1", room: "group", from: { id: "u1" } });
    expect(m.mentions).toBeUndefined();
    const sessions = new SqliteSessionStore(store.db);
    expect((await sessions.findSessionByToken("hash", 0))?.user.name).toBe("Old");
    await store.close();
  });

  it("give messages stored before unread places their places, and new ones follow on", async () => {
    const file = path.join(tempDir(), "chat.db");
    const before = new Database(file);
    const unreadPlaces = SQLITE_MIGRATIONS.findIndex((m) => m.includes("ADD COLUMN n INTEGER"));
    for (const sql of SQLITE_MIGRATIONS.slice(0, unreadPlaces)) before.exec(sql);
    before.pragma(`user_version = ${unreadPlaces}`);
    const put = before.prepare(
      `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
       VALUES (?, ?, ?, 'fox', 'old', 1)`,
    );
    for (const [c, u] of [
      ["group", "u1"],
      ["r:x", "u2"],
      ["group", "u2"],
      ["group", "u1"],
    ])
      put.run(c, u, u);
    before.close();
    const store = new SqliteStore(file);
    await store.append(
      {
        from: { id: "u2", name: "u2", avatar: "fox" },
        conversation: "group",
        content: "new",
        ts: 2,
      },
      0,
    );
    const reads = new SqliteReadStateStore(store.db);
    const count = async (user: string) =>
      (await reads.summaries(user, [{ key: "group", startAtNewest: false }]))[0].unread;
    expect([await count("u1"), await count("u2"), await count("u3")]).toEqual([2, 2, 4]);
    await store.close();
  });

  it("keep messages indexed by the old insert trigger findable and erasable", async () => {
    const file = path.join(tempDir(), "chat.db");
    const before = new Database(file);
    // Every migration before the one that indexes in batches.
    const batches = SQLITE_MIGRATIONS.findIndex((m) => m.includes("CREATE TABLE search_indexed"));
    for (const sql of SQLITE_MIGRATIONS.slice(0, batches)) before.exec(sql);
    before.pragma(`user_version = ${batches}`);
    const put = before.prepare(
      `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
       VALUES ('group', 'u1', 'u1', 'fox', ?, 1)`,
    );
    put.run("an old hello");
    put.run("an old secret");
    before.close();
    const store = new SqliteStore(file);
    const stores = storesOn(store);
    expect(store.searchIndex.upto()).toBe(2);
    const find = (q: string) =>
      stores.search.search({ terms: searchTerms(q), conversations: ["group"], limit: 10 });
    expect((await find("old")).map((m) => m.content)).toEqual(["an old secret", "an old hello"]);
    await stores.actions.erase(formatMessageId(2));
    expect((await find("old")).map((m) => m.content)).toEqual(["an old hello"]);
    store.db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, messages_fts, 'row')");
    expect(store.db.prepare("SELECT doc FROM temp.vocab WHERE term = 'cre'").get()).toBeUndefined();
    await store.close();
  });

  it("each apply on top of the previous one", () => {
    const db = new Database(":memory:");
    for (const sql of SQLITE_MIGRATIONS) expect(() => db.exec(sql)).not.toThrow();
    db.close();
  });
});

describe("SQLite migration to several devices", () => {
  it("keeps v1 sessions: each becomes a user with one session", async () => {
    const file = path.join(tempDir(), "chat.db");
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]);
    v1.pragma("user_version = 1");
    v1.prepare(
      `INSERT INTO sessions (user_id, token_hash, name, name_key, avatar, created_at, last_seen_at)
       VALUES ('u1', 'h1', 'Alice', 'alice', 'fox', 1, ?)`,
    ).run(Date.now());
    v1.close();
    const store = new SqliteStore(file);
    const sessions = new SqliteSessionStore(store.db);
    const found = await sessions.findSessionByToken("h1", 0);
    expect(found).toMatchObject({ id: "u1", user: { id: "u1", name: "Alice", avatar: "fox" } });
    expect(await sessions.findUserByName("alice", 0)).toEqual({
      id: "u1",
      name: "Alice",
      avatar: "fox",
    });
    await store.close();
  });
});

describe("SQLite search index erasure", () => {
  const alice = { id: "u-alice", name: "Alice", avatar: "fox" };
  // Trigrams of characters no other message has: stored whole in the index's leaf pages.
  const SECRET = "龘靐齉";
  const NEW = "鑫淼焱";
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore(path.join(tempDir("chat-fts-"), "chat.db"));
    store.db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, messages_fts, 'row')");
  });
  afterEach(() => store.close());

  const send = async (content: string) =>
    (await store.append({ from: alice, conversation: GROUP_CONVERSATION, content, ts: 1 }, 0))
      .message;
  /** How many messages the index lists for a trigram (no row: none). */
  const docs = (trigram: string) =>
    (
      store.db.prepare("SELECT doc FROM temp.vocab WHERE term = ?").get(trigram) as
        { doc: number } | undefined
    )?.doc ?? 0;
  /**
   * Whether any page of the index (its shadow table's blobs) holds the last two characters
   * of a trigram: terms are prefix-compressed, so a trigram may share its first byte with the
   * term before it, never more here.
   */
  const inIndexPages = (trigram: string) =>
    (store.db.prepare("SELECT block FROM messages_fts_data").all() as { block: Buffer }[]).some(
      (r) => r.block.includes(Buffer.from(trigram.slice(1))),
    );

  it("runs the index with secure-delete on", () => {
    const row = store.db
      .prepare("SELECT v FROM messages_fts_config WHERE k = 'secure-delete'")
      .get() as { v: number };
    expect(row.v).toBe(1);
  });

  it("a delete takes the text's trigrams out of the index", async () => {
    await send("some words before");
    const m = await send(`the secret is ${SECRET} here`);
    await send("some words after");
    store.searchIndex.indexNow();
    expect(docs(SECRET)).toBe(1);
    expect(docs("ecr")).toBe(1);
    expect(inIndexPages(SECRET)).toBe(true);
    await storesOn(store).actions.erase(m.id);
    expect(docs(SECRET)).toBe(0);
    expect(docs("ecr")).toBe(0);
    expect(docs("wor")).toBe(2);
    expect(inIndexPages(SECRET)).toBe(false);
  });

  it("an edit replaces the old text's trigrams by the new text's", async () => {
    await send("some words before");
    const m = await send(`hello ${SECRET} @Bob`);
    store.searchIndex.indexNow();
    expect(docs(SECRET)).toBe(1);
    await storesOn(store).actions.edit(m.id, `hello ${NEW} all`, [], 2);
    expect(docs(SECRET)).toBe(0);
    expect(docs("bob")).toBe(0);
    expect(docs(NEW)).toBe(1);
    expect(docs(" al")).toBe(1);
    expect(inIndexPages(SECRET)).toBe(false);
    expect(inIndexPages(NEW)).toBe(true);
    const file = fs.readFileSync(store.db.name);
    expect(file.includes(Buffer.from(`hello ${SECRET} @Bob`))).toBe(false);
    expect(file.includes(Buffer.from(SECRET))).toBe(false);
  });

  it("a message erased or edited before it was indexed never enters the index", async () => {
    const erased = await send(`the secret is ${SECRET} here`);
    const edited = await send(`hello ${NEW} @Bob`);
    expect(docs(SECRET)).toBe(0);
    await storesOn(store).actions.erase(erased.id);
    await storesOn(store).actions.edit(edited.id, "hello all", [], 2);
    store.searchIndex.indexNow();
    expect(docs(SECRET)).toBe(0);
    expect(docs(NEW)).toBe(0);
    expect(docs("bob")).toBe(0);
    expect(docs(" al")).toBe(1);
    expect(inIndexPages(SECRET)).toBe(false);
    expect(inIndexPages(NEW)).toBe(false);
  });

  it("indexes in the commit that fills a batch, by a timer when quiet, and on restart", async () => {
    const upto = () => store.searchIndex.upto();
    const first = await send("one");
    expect(upto()).toBe(0);
    // The timer: INDEX_DELAY_MS after the first unindexed message.
    await new Promise((r) => setTimeout(r, INDEX_DELAY_MS + 100));
    expect(upto()).toBe(Number(first.id));
    let last = first;
    for (let i = 0; i < INDEX_BATCH; i++) last = await send(`message ${i}`);
    expect(upto()).toBe(Number(last.id));
    const tail = await send("in the tail");
    expect(upto()).toBe(Number(last.id));
    // A crash before the timer: the next start indexes what is left.
    const file = store.db.name;
    store.db.close();
    store = new SqliteStore(file);
    store.db.exec("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, messages_fts, 'row')");
    expect(upto()).toBe(Number(tail.id));
    expect(docs(" ta")).toBe(1);
  });
});

describe("SQLite write-ahead log after an edit", () => {
  it("retries a checkpoint a reader's snapshot kept busy, until the log is empty", async () => {
    const store = new SqliteStore(path.join(tempDir("chat-wal-"), "chat.db"));
    const alice = { id: "u-alice", name: "Alice", avatar: "fox" };
    const { message } = await store.append(
      { from: alice, conversation: GROUP_CONVERSATION, content: "first draft", ts: 1 },
      0,
    );
    // Another connection (a backup, say) holding a read snapshot of the log.
    const reader = new Database(store.db.name, { readonly: true });
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM messages").get();
    const wal = `${store.db.name}-wal`;
    const started = Date.now();
    await storesOn(store).actions.edit(message.id, "second draft", [], 2);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fs.statSync(wal).size).toBeGreaterThan(0);
    expect(fs.readFileSync(wal).includes("first draft")).toBe(true);
    reader.exec("COMMIT");
    reader.close();
    const deadline = Date.now() + 3000;
    while (fs.statSync(wal).size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.statSync(wal).size).toBe(0);
    expect(fs.readFileSync(store.db.name).includes("first draft")).toBe(false);
    await store.close();
  });
});
