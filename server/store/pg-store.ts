import { Pool, type PoolConfig } from "pg";
import type { Message } from "../../common/events";
import { PgMessageWriter } from "./pg-message-writer";
import { migrate } from "./pg-migrations";
import { inTransaction } from "./pg-transaction";
import {
  MESSAGE_COLUMNS,
  messageFromRow,
  sessionFromRow,
  type MessageRow,
  type SessionRow,
} from "./rows";
import {
  formatMessageId,
  type AppendResult,
  type ChatStore,
  type HistoryQuery,
  type NewMessage,
  type SessionRecord,
} from "./types";

const HISTORY = {
  newest: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = $1
           ORDER BY seq DESC LIMIT $2`,
  before: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = $1 AND seq < $3
           ORDER BY seq DESC LIMIT $2`,
  after: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = $1 AND seq > $3
          ORDER BY seq ASC LIMIT $2`,
};

/**
 * The PostgreSQL store for several nodes: a connection pool, versioned migrations, and the
 * database (not one node's memory) deciding ids, `cid` duplicates and nickname holders.
 */
export class PgStore implements ChatStore {
  /** The connection pool, shared with the other PostgreSQL stores. */
  readonly pool: Pool;
  private readonly writer: PgMessageWriter;

  constructor(config: PoolConfig, onError: (err: Error) => void = () => {}) {
    this.pool = new Pool({ max: 10, ...config });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    this.pool.on("error", onError);
    this.writer = new PgMessageWriter(this.pool);
  }

  async init(): Promise<void> {
    await migrate(this.pool);
  }

  append(message: NewMessage, cidSince: number): Promise<AppendResult> {
    return this.writer.append(message, cidSince);
  }

  async history(q: HistoryQuery): Promise<Message[]> {
    const mark = q.after ?? q.before;
    const sql =
      q.after !== undefined
        ? HISTORY.after
        : q.before !== undefined
          ? HISTORY.before
          : HISTORY.newest;
    const params: (string | number)[] = [q.conversation, q.limit];
    if (mark !== undefined) params.push(mark);
    const { rows } = await this.pool.query<MessageRow>(sql, params);
    if (q.after === undefined) rows.reverse();
    return rows.map(messageFromRow);
  }

  async newestId(conversation: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ seq: string | null }>(
      "SELECT MAX(seq) AS seq FROM messages WHERE conversation = $1",
      [conversation],
    );
    return rows[0]?.seq == null ? undefined : formatMessageId(rows[0].seq);
  }

  createSession(s: SessionRecord, heldSince: number): Promise<"created" | "taken"> {
    return inTransaction(this.pool, async (client) => {
      // Concurrent logins for one nickname (on any node) meet at the unique name_key: the
      // second waits for the first to commit, then finds the key taken.
      await client.query("DELETE FROM sessions WHERE name_key = $1 AND last_seen_at < $2", [
        s.nameKey,
        heldSince,
      ]);
      const inserted = await client.query(
        `INSERT INTO sessions (user_id, token_hash, name, name_key, avatar, created_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [s.user.id, s.tokenHash, s.user.name, s.nameKey, s.user.avatar, s.createdAt, s.lastSeenAt],
      );
      return inserted.rowCount === 1 ? "created" : "taken";
    });
  }

  async findSessionByToken(tokenHash: string, heldSince: number): Promise<SessionRecord | null> {
    return this.findSession("token_hash", tokenHash, heldSince);
  }

  async findSessionByName(nameKey: string, heldSince: number): Promise<SessionRecord | null> {
    return this.findSession("name_key", nameKey, heldSince);
  }

  private async findSession(
    column: "token_hash" | "name_key",
    value: string,
    heldSince: number,
  ): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT * FROM sessions WHERE ${column} = $1 AND last_seen_at >= $2`,
      [value, heldSince],
    );
    return rows[0] ? sessionFromRow(rows[0]) : null;
  }

  async touchSessions(userIds: string[], now: number): Promise<void> {
    if (userIds.length === 0) return;
    await this.pool.query(
      `UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $1) WHERE user_id = ANY($2)`,
      [now, userIds],
    );
  }

  async deleteSession(userId: string): Promise<boolean> {
    const result = await this.pool.query("DELETE FROM sessions WHERE user_id = $1", [userId]);
    return (result.rowCount ?? 0) > 0;
  }

  async expireSessions(heldSince: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      "DELETE FROM sessions WHERE last_seen_at < $1 RETURNING user_id",
      [heldSince],
    );
    return rows.map((r) => r.user_id);
  }

  async close(): Promise<void> {
    await this.writer.idle();
    await this.pool.end();
  }
}
