import type Database from "better-sqlite3";
import type { BanStore } from "./session-types";

/** Bans in the SQLite file of the SqliteStore (its `db`). */
export class SqliteBanStore implements BanStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      insert: db.prepare(`INSERT INTO bans (skeleton, ip, until) VALUES (?, ?, ?)`),
      remove: db.prepare(`DELETE FROM bans WHERE skeleton = ?`),
      check: db.prepare(
        `SELECT 1 FROM bans WHERE until > ? AND ((ip IS NULL AND skeleton = ?) OR ip = ?) LIMIT 1`,
      ),
      sweep: db.prepare(`DELETE FROM bans WHERE until <= ?`),
    };
  }

  async ban(skeleton: string, ips: string[], until: number): Promise<void> {
    this.db.transaction(() => {
      this.q.sweep.run(Date.now());
      this.q.insert.run(skeleton, null, until);
      for (const ip of new Set(ips)) this.q.insert.run(skeleton, ip, until);
    })();
  }

  async unban(skeleton: string): Promise<boolean> {
    return this.q.remove.run(skeleton).changes > 0;
  }

  async isBanned(skeleton: string | null, ip: string, now: number): Promise<boolean> {
    return this.q.check.get(now, skeleton, ip) !== undefined;
  }
}
