import type Database from "better-sqlite3";
import type { User } from "../../common/events";
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
import { GroupCommit } from "./sqlite-group-commit";

/** Holds its nickname: secured, or a guest with a session seen since the horizon. */
const LIVE =
  "(u.secured = 1 OR EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.last_seen_at >= ?))";

/** Sessions in the SQLite file of the SqliteStore (its `db`); tables from SQLITE_MIGRATIONS. */
export class SqliteSessionStore implements SessionStore {
  private readonly q;
  private readonly logins: GroupCommit;

  constructor(private readonly db: Database.Database) {
    this.logins = new GroupCommit(db);
    this.q = {
      staleHolders: db.prepare(
        `SELECT id FROM users u WHERE (name_key = ? OR skeleton = ?) AND NOT ${LIVE}`,
      ),
      insertUser: db.prepare(
        `INSERT OR IGNORE INTO users (id, name, name_key, skeleton, avatar, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertSession: db.prepare(
        `INSERT INTO sessions (id, user_id, token_hash, ip, created_at, last_seen_at)
         SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM users WHERE id = ?)`,
      ),
      byToken: db.prepare(
        `SELECT ${SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.last_seen_at >= (CASE WHEN u.secured = 1 THEN ? ELSE ? END)`,
      ),
      userByName: db.prepare(`SELECT * FROM users u WHERE name_key = ? AND ${LIVE}`),
      touch: db.prepare(`UPDATE sessions SET last_seen_at = MAX(last_seen_at, ?) WHERE id = ?`),
      deleteSession: db.prepare(`DELETE FROM sessions WHERE id = ? RETURNING user_id`),
      deleteSessionsOf: db.prepare(`DELETE FROM sessions WHERE user_id = ? RETURNING id`),
      deleteIfAlone: db.prepare(
        `DELETE FROM users WHERE id = ? AND secured = 0
         AND NOT EXISTS (SELECT 1 FROM sessions WHERE user_id = ?)`,
      ),
      deleteGuest: db.prepare(`DELETE FROM users WHERE id = ? AND secured = 0`),
      deleteCodesOf: db.prepare(`DELETE FROM link_codes WHERE user_id = ?`),
      expire: db.prepare(
        `DELETE FROM sessions WHERE last_seen_at < (CASE WHEN EXISTS
           (SELECT 1 FROM users u WHERE u.id = sessions.user_id AND u.secured = 1) THEN ? ELSE ? END)
         RETURNING id, user_id`,
      ),
      setAdmin: db.prepare(`UPDATE users SET admin = 1 WHERE id = ? RETURNING *`),
      ips: db.prepare(`SELECT DISTINCT ip FROM sessions WHERE user_id = ? AND ip <> ''`),
      insertCode: db.prepare(
        `INSERT INTO link_codes (code_hash, user_id, expires_at) VALUES (?, ?, ?)`,
      ),
      redeemCode: db.prepare(
        `DELETE FROM link_codes WHERE code_hash = ? RETURNING user_id, expires_at`,
      ),
      peekCode: db.prepare(
        `SELECT u.* FROM link_codes c JOIN users u ON u.id = c.user_id
         WHERE c.code_hash = ? AND c.expires_at > ?`,
      ),
      expireCodes: db.prepare(`DELETE FROM link_codes WHERE expires_at < ?`),
    };
  }

  /** Ends a user's sessions and link codes, and the user unless it is secured. */
  private removeUser(userId: string, ended: Ended): void {
    const ids = (this.q.deleteSessionsOf.all(userId) as { id: string }[]).map((r) => r.id);
    this.q.deleteCodesOf.run(userId);
    ended.sessionIds.push(...ids);
    if (this.q.deleteGuest.run(userId).changes > 0) ended.userIds.push(userId);
  }

  private removeIfAlone(userIds: Iterable<string>, ended: Ended): void {
    for (const id of new Set(userIds)) {
      if (this.q.deleteIfAlone.run(id, id).changes > 0) {
        this.q.deleteCodesOf.run(id);
        ended.userIds.push(id);
      }
    }
  }

  private insertSession(s: NewSession): boolean {
    const args = [s.id, s.userId, s.tokenHash, s.ip, s.createdAt, s.lastSeenAt, s.userId];
    return this.q.insertSession.run(...args).changes === 1;
  }

  /** Logins arriving together share one commit. */
  async createUser(u: NewUser, s: NewSession, heldSince: number) {
    return this.logins.run(() => {
      const ended: Ended = { sessionIds: [], userIds: [] };
      const stale = this.q.staleHolders.all(u.nameKey, u.skeleton, heldSince) as { id: string }[];
      for (const { id } of stale) this.removeUser(id, ended);
      const { id, name, avatar } = u.user;
      const info = this.q.insertUser.run(id, name, u.nameKey, u.skeleton, avatar, u.createdAt);
      if (info.changes === 0) return { outcome: "taken" as const, ended };
      this.insertSession(s);
      return { outcome: "created" as const, ended };
    });
  }

  async addSession(s: NewSession): Promise<boolean> {
    return this.insertSession(s);
  }

  async findSessionByToken(
    tokenHash: string,
    heldSince: number,
    securedSince = heldSince,
  ): Promise<SessionRecord | null> {
    const row = this.q.byToken.get(tokenHash, securedSince, heldSince) as SessionRow | undefined;
    return row ? sessionFromRow(row) : null;
  }

  async findUserByName(nameKey: string, heldSince: number): Promise<User | null> {
    const row = this.q.userByName.get(nameKey, heldSince) as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  async touchSessions(sessionIds: string[], now: number): Promise<void> {
    this.db.transaction(() => {
      for (const id of sessionIds) this.q.touch.run(now, id);
    })();
  }

  async deleteSession(sessionId: string): Promise<Ended> {
    return this.db.transaction(() => {
      const row = this.q.deleteSession.get(sessionId) as { user_id: string } | undefined;
      const ended: Ended = { sessionIds: row ? [sessionId] : [], userIds: [] };
      if (row) this.removeIfAlone([row.user_id], ended);
      return ended;
    })();
  }

  async deleteUser(userId: string): Promise<Ended> {
    return this.db.transaction(() => {
      const ended: Ended = { sessionIds: [], userIds: [] };
      this.removeUser(userId, ended);
      return ended;
    })();
  }

  async expireSessions(heldSince: number, securedSince = heldSince): Promise<Ended> {
    return this.db.transaction(() => {
      const rows = this.q.expire.all(securedSince, heldSince) as { id: string; user_id: string }[];
      const ended: Ended = { sessionIds: rows.map((r) => r.id), userIds: [] };
      this.removeIfAlone(
        rows.map((r) => r.user_id),
        ended,
      );
      this.q.expireCodes.run(Date.now());
      return ended;
    })();
  }

  async setAdmin(userId: string): Promise<User | null> {
    const row = this.q.setAdmin.get(userId) as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  async sessionIps(userId: string): Promise<string[]> {
    return (this.q.ips.all(userId) as { ip: string }[]).map((r) => r.ip);
  }

  async createLinkCode(codeHash: string, userId: string, expiresAt: number): Promise<void> {
    this.q.insertCode.run(codeHash, userId, expiresAt);
  }

  async peekLinkCode(codeHash: string, now: number): Promise<User | null> {
    const row = this.q.peekCode.get(codeHash, now) as UserRow | undefined;
    return row ? userFromRow(row) : null;
  }

  async redeemLinkCode(codeHash: string, now: number): Promise<string | null> {
    const row = this.q.redeemCode.get(codeHash) as
      { user_id: string; expires_at: number } | undefined;
    return row && row.expires_at > now ? row.user_id : null;
  }
}
