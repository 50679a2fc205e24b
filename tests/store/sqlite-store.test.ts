import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteStore } from "../../server/store/sqlite-store";
import { SQLITE_MIGRATIONS } from "../../server/store/sqlite-migrations";
import { GROUP_CONVERSATION } from "../../server/store/types";
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
describePushStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-push-"), "chat.db"))),
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
      .flatMap((text) => (text.includes("hello all") ? ["hello all"] : []));
  },
);

describeUploadStoreContract("SQLite", async () =>
  storesOn(new SqliteStore(path.join(tempDir("chat-uploads-"), "chat.db"))),
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
    for (const sql of SQLITE_MIGRATIONS.slice(0, -1)) before.exec(sql);
    before.pragma(`user_version = ${SQLITE_MIGRATIONS.length - 1}`);
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
