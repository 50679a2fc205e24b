import type { Pool } from "pg";
import type { User } from "../../common/events";
import type { AccountRecord, AccountStore } from "./account-store";
import { userFromRow, type UserRow } from "./session-types";

type AccountRow = UserRow & { password_hash: string | null };

/** Accounts in the PostgreSQL database of the PgStore (its `pool`): every node sees the same. */
export class PgAccountStore implements AccountStore {
  constructor(private readonly pool: Pool) {}

  async byName(nameKey: string): Promise<AccountRecord | null> {
    const { rows } = await this.pool.query<AccountRow>(
      "SELECT * FROM users WHERE name_key = $1 AND secured",
      [nameKey],
    );
    return rows[0] ? { user: userFromRow(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  async status(userId: string) {
    const { rows } = await this.pool.query<{ secured: boolean; password_hash: string | null }>(
      "SELECT secured, password_hash FROM users WHERE id = $1",
      [userId],
    );
    return rows[0] ? { secured: rows[0].secured, password: rows[0].password_hash !== null } : null;
  }

  async passwordHash(userId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ password_hash: string | null }>(
      "SELECT password_hash FROM users WHERE id = $1",
      [userId],
    );
    return rows[0]?.password_hash ?? null;
  }

  async setPassword(userId: string, hash: string): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE users SET password_hash = $1, secured = true WHERE id = $2",
      [hash, userId],
    );
    return result.rowCount === 1;
  }

  async setAvatar(userId: string, avatar: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      "UPDATE users SET avatar = $1 WHERE id = $2 RETURNING *",
      [avatar, userId],
    );
    return rows[0] ? userFromRow(rows[0]) : null;
  }

  async recordFailure(userId: string, at: number): Promise<void> {
    await this.pool.query("INSERT INTO login_failures (user_id, at) VALUES ($1, $2)", [userId, at]);
  }

  async failuresSince(userId: string, since: number): Promise<number> {
    await this.pool.query("DELETE FROM login_failures WHERE user_id = $1 AND at < $2", [
      userId,
      since,
    ]);
    const { rows } = await this.pool.query<{ n: string }>(
      "SELECT COUNT(*) AS n FROM login_failures WHERE user_id = $1 AND at >= $2",
      [userId, since],
    );
    return Number(rows[0].n);
  }
}
