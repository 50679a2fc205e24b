import type Database from "better-sqlite3";
import type { AvatarStore } from "./avatar-store";

/** Profile pictures in the SQLite file of the SqliteStore (its `db`). */
export class SqliteAvatarStore implements AvatarStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      save: db.prepare(
        `INSERT INTO custom_avatars (id, user_id, data, created_at) VALUES (?, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT data FROM custom_avatars WHERE id = ?`),
      removeOthers: db.prepare(`DELETE FROM custom_avatars WHERE user_id = ? AND id IS NOT ?`),
    };
  }

  async save(id: string, userId: string, webp: Buffer, now: number): Promise<void> {
    this.q.save.run(id, userId, webp, now);
  }

  async get(id: string): Promise<Buffer | null> {
    return (this.q.get.get(id) as { data: Buffer } | undefined)?.data ?? null;
  }

  async removeOthers(userId: string, keep: string | null): Promise<number> {
    return this.q.removeOthers.run(userId, keep).changes;
  }
}
