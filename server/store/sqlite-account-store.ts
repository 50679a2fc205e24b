import type Database from "better-sqlite3";
import type { User } from "../../common/events";
import type { AccountRecord, AccountStore } from "./account-store";
import { userFromRow, type UserRow } from "./session-types";

type AccountRow = UserRow & { password_hash: string | null };

/** Accounts in the SQLite file of the SqliteStore (its `db`); tables from SQLITE_MIGRATIONS. */
export class SqliteAccountStore implements AccountStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      byName: db.prepare(`SELECT * FROM users WHERE name_key = ? AND secured = 1`),
      status: db.prepare(`SELECT secured, password_hash FROM users WHERE id = ?`),
      setPassword: db.prepare(`UPDATE users SET password_hash = ?, secured = 1 WHERE id = ?`),
      setAvatar: db.prepare(`UPDATE users SET avatar = ? WHERE id = ? RETURNING *`),
      fail: db.prepare(`INSERT INTO login_failures (user_id, at) VALUES (?, ?)`),
      failures: db.prepare(
        `SELECT COUNT(*) AS n FROM login_failures WHERE user_id = ? AND at >= ?`,
      ),
      forgetOld: db.prepare(`DELETE FROM login_failures WHERE user_id = ? AND at < ?`),
    };
  }

  async byName(nameKey: string): Promise<AccountRecord | null> {
    const row = this.q.byName.get(nameKey) as AccountRow | undefined;
    return row ? { user: userFromRow(row), passwordHash: row.password_hash } : null;
  }

  async status(userId: string) {
    const row = this.q.status.get(userId) as
      { secured: number; password_hash: string | null } | undefined;
    return row ? { secured: row.secured === 1, password: row.password_hash !== null } : null;
  }

  async passwordHash(userId: string): Promise<string | null> {
    const row = this.q.status.get(userId) as { password_hash: string | null } | undefined;
    return row?.password_hash ?? null;
  }

  async setPassword(userId: string, hash: string): Promise<boolean> {
    return this.q.setPassword.run(hash, userId).changes === 1;
  }

  async setAvatar(userId: string, avatar: string): Promise<User | null> {
    const row = this.q.setAvatar.get(avatar, userId) as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  async recordFailure(userId: string, at: number): Promise<void> {
    this.q.fail.run(userId, at);
  }

  async failuresSince(userId: string, since: number): Promise<number> {
    this.q.forgetOld.run(userId, since);
    return (this.q.failures.get(userId, since) as { n: number }).n;
  }
}
