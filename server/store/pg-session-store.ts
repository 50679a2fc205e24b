import type { Pool, PoolClient } from "pg";
import type { User } from "../../common/events";
import { inTransaction } from "./pg-transaction";
import {
  SESSION_COLUMNS,
  sessionFromRow,
  userFromRow,
  type Ended,
  type NewSession,
  type NewUser,
  type SessionRecord,
  type SessionRow,
  type SessionStore,
  type UserRow,
} from "./session-types";

/** Holds its nickname: secured, or a guest with a session seen since the horizon ($2). */
const LIVE =
  "(u.secured OR EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= $2))";

const INSERT_SESSION = `
  INSERT INTO sessions (id, user_id, token_hash, ip, created_at, last_seen_at)
  SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM users WHERE id = $2)`;

function sessionParams(s: NewSession): unknown[] {
  return [s.id, s.userId, s.tokenHash, s.ip, s.createdAt, s.lastSeenAt];
}

/**
 * Sessions in the PostgreSQL database of the PgStore (its `pool`). Concurrent logins for one
 * nickname, on any node, meet at the unique name_key and skeleton: the second waits for the
 * first to commit, then finds it taken.
 */
export class PgSessionStore implements SessionStore {
  constructor(private readonly pool: Pool) {}

  private async removeIfAlone(client: PoolClient, userIds: string[], ended: Ended) {
    if (userIds.length === 0) return;
    const { rows } = await client.query<{ id: string }>(
      `DELETE FROM users u WHERE id = ANY($1) AND NOT secured
       AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = u.id) RETURNING id`,
      [[...new Set(userIds)]],
    );
    const gone = rows.map((r) => r.id);
    await client.query("DELETE FROM link_codes WHERE user_id = ANY($1)", [gone]);
    ended.userIds.push(...gone);
  }

  /** Ends users' sessions and link codes, and the users that are not secured. */
  private async removeUsers(client: PoolClient, userIds: string[], ended: Ended) {
    if (userIds.length === 0) return;
    const { rows } = await client.query<{ id: string }>(
      "DELETE FROM sessions WHERE user_id = ANY($1) RETURNING id",
      [userIds],
    );
    ended.sessionIds.push(...rows.map((r) => r.id));
    await client.query("DELETE FROM link_codes WHERE user_id = ANY($1)", [userIds]);
    const users = await client.query<{ id: string }>(
      "DELETE FROM users WHERE id = ANY($1) AND NOT secured RETURNING id",
      [userIds],
    );
    ended.userIds.push(...users.rows.map((r) => r.id));
  }

  createUser(u: NewUser, s: NewSession, heldSince: number) {
    return inTransaction(this.pool, async (client) => {
      const ended: Ended = { sessionIds: [], userIds: [] };
      const stale = await client.query<{ id: string }>(
        `SELECT id FROM users u WHERE (name_key = $1 OR skeleton = $3) AND NOT ${LIVE}
         FOR UPDATE`,
        [u.nameKey, heldSince, u.skeleton],
      );
      await this.removeUsers(
        client,
        stale.rows.map((r) => r.id),
        ended,
      );
      const inserted = await client.query(
        `INSERT INTO users (id, name, name_key, skeleton, avatar, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [u.user.id, u.user.name, u.nameKey, u.skeleton, u.user.avatar, u.createdAt],
      );
      if (inserted.rowCount !== 1) return { outcome: "taken" as const, ended };
      await client.query(INSERT_SESSION, sessionParams(s));
      return { outcome: "created" as const, ended };
    });
  }

  async addSession(s: NewSession): Promise<boolean> {
    const result = await this.pool.query(INSERT_SESSION, sessionParams(s));
    return result.rowCount === 1;
  }

  async findSessionByToken(
    tokenHash: string,
    heldSince: number,
    securedSince = heldSince,
  ): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = $1 AND s.last_seen_at >= (CASE WHEN u.secured THEN $3::bigint ELSE $2::bigint END)`,
      [tokenHash, heldSince, securedSince],
    );
    return rows[0] ? sessionFromRow(rows[0]) : null;
  }

  async findUserByName(nameKey: string, heldSince: number): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT * FROM users u WHERE name_key = $1 AND ${LIVE}`,
      [nameKey, heldSince],
    );
    return rows[0] ? userFromRow(rows[0]) : null;
  }

  async touchSessions(sessionIds: string[], now: number): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.pool.query(
      "UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $1) WHERE id = ANY($2)",
      [now, sessionIds],
    );
  }

  deleteSession(sessionId: string): Promise<Ended> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ user_id: string }>(
        "DELETE FROM sessions WHERE id = $1 RETURNING user_id",
        [sessionId],
      );
      const ended: Ended = { sessionIds: rows.length ? [sessionId] : [], userIds: [] };
      await this.removeIfAlone(
        client,
        rows.map((r) => r.user_id),
        ended,
      );
      return ended;
    });
  }

  deleteUser(userId: string): Promise<Ended> {
    return inTransaction(this.pool, async (client) => {
      const ended: Ended = { sessionIds: [], userIds: [] };
      await this.removeUsers(client, [userId], ended);
      return ended;
    });
  }

  expireSessions(heldSince: number, securedSince = heldSince): Promise<Ended> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string; user_id: string }>(
        `DELETE FROM sessions s WHERE s.last_seen_at < (CASE WHEN EXISTS
           (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.secured) THEN $2::bigint ELSE $1::bigint END)
         RETURNING s.id, s.user_id`,
        [heldSince, securedSince],
      );
      const ended: Ended = { sessionIds: rows.map((r) => r.id), userIds: [] };
      await this.removeIfAlone(
        client,
        rows.map((r) => r.user_id),
        ended,
      );
      await client.query("DELETE FROM link_codes WHERE expires_at < $1", [Date.now()]);
      return ended;
    });
  }

  async setAdmin(userId: string): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      "UPDATE users SET admin = true WHERE id = $1 RETURNING *",
      [userId],
    );
    return rows[0] ? userFromRow(rows[0]) : null;
  }

  async sessionIps(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ ip: string }>(
      "SELECT DISTINCT ip FROM sessions WHERE user_id = $1 AND ip <> ''",
      [userId],
    );
    return rows.map((r) => r.ip);
  }

  async createLinkCode(codeHash: string, userId: string, expiresAt: number): Promise<void> {
    await this.pool.query(
      "INSERT INTO link_codes (code_hash, user_id, expires_at) VALUES ($1, $2, $3)",
      [codeHash, userId, expiresAt],
    );
  }

  async peekLinkCode(codeHash: string, now: number): Promise<User | null> {
    const { rows } = await this.pool.query<UserRow>(
      `SELECT u.* FROM link_codes c JOIN users u ON u.id = c.user_id
       WHERE c.code_hash = $1 AND c.expires_at > $2`,
      [codeHash, now],
    );
    return rows[0] ? userFromRow(rows[0]) : null;
  }

  async redeemLinkCode(codeHash: string, now: number): Promise<string | null> {
    const { rows } = await this.pool.query<{ user_id: string; expires_at: string }>(
      "DELETE FROM link_codes WHERE code_hash = $1 RETURNING user_id, expires_at",
      [codeHash],
    );
    return rows[0] && Number(rows[0].expires_at) > now ? rows[0].user_id : null;
  }
}
