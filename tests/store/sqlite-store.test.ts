import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteStore } from "../../server/store/sqlite-store";
import { SQLITE_MIGRATIONS } from "../../server/store/sqlite-migrations";
import { GROUP_CONVERSATION } from "../../server/store/types";
import { tempDir } from "../support/server";
import { describeStoreContract } from "./store-contract";

let dir = "";
describeStoreContract(
  "SQLite",
  async () => {
    dir = tempDir("chat-store-");
    return new SqliteStore(path.join(dir, "chat.db"));
  },
  async () => fs.rmSync(dir, { recursive: true, force: true }),
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

  it("each apply on top of the previous one", () => {
    const db = new Database(":memory:");
    for (const sql of SQLITE_MIGRATIONS) expect(() => db.exec(sql)).not.toThrow();
    db.close();
  });
});
