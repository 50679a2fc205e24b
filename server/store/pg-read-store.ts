import type { Pool } from "pg";
import { type DirectRecord, type ReadStateStore, type ReadSummary } from "./read-store";
import { MESSAGE_COLUMNS, messageFromRow, type MessageRow } from "./rows";
import { formatMessageId } from "./types";

const NEWEST = "COALESCE((SELECT MAX(seq) FROM messages WHERE conversation = $2), 0)";

/**
 * Messages after the mark that others wrote, from each message's place in its conversation
 * (`n`) and among its author's messages there (`an`): four index seeks, however many.
 */
const UNREAD = `(
  COALESCE((SELECT n FROM messages WHERE conversation = q.c ORDER BY seq DESC LIMIT 1), 0)
  - COALESCE((SELECT n FROM messages WHERE conversation = q.c AND seq <= q.mark
      ORDER BY seq DESC LIMIT 1), 0)
  - COALESCE((SELECT an FROM messages WHERE conversation = q.c AND from_id = $1
      ORDER BY seq DESC LIMIT 1), 0)
  + COALESCE((SELECT an FROM messages WHERE conversation = q.c AND from_id = $1
      AND seq <= q.mark ORDER BY seq DESC LIMIT 1), 0))`;

/** Read state in PostgreSQL (the pool of the PgStore), shared by every node. */
export class PgReadStateStore implements ReadStateStore {
  constructor(private readonly pool: Pool) {}

  async markRead(userId: string, conversation: string, id: string): Promise<string> {
    const { rows } = await this.pool.query<{ last_read: string }>(
      `INSERT INTO read_state (user_id, conversation, last_read)
       VALUES ($1, $2, COALESCE((SELECT MAX(seq) FROM messages WHERE conversation = $2 AND seq <= $3), 0))
       ON CONFLICT (user_id, conversation)
         DO UPDATE SET last_read = GREATEST(read_state.last_read, excluded.last_read)
       RETURNING last_read`,
      [userId, conversation, id],
    );
    return formatMessageId(rows[0].last_read);
  }

  async start(userId: string, conversation: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO read_state (user_id, conversation, last_read) VALUES ($1, $2, ${NEWEST})
       ON CONFLICT DO NOTHING`,
      [userId, conversation],
    );
  }

  async summaries(
    userId: string,
    conversations: { key: string; startAtNewest: boolean }[],
  ): Promise<ReadSummary[]> {
    const starting = conversations.filter((c) => c.startAtNewest).map((c) => c.key);
    if (starting.length) {
      await this.pool.query(
        `INSERT INTO read_state (user_id, conversation, last_read)
         SELECT $1, c, COALESCE((SELECT MAX(seq) FROM messages WHERE conversation = c), 0)
         FROM unnest($2::text[]) AS c ON CONFLICT DO NOTHING`,
        [userId, starting],
      );
    }
    // One query for every conversation: its mark, then the counts after it.
    const { rows } = await this.pool.query<{ mark: string; unread: string; mentions: string }>(
      `SELECT q.mark,
         ${UNREAD} AS unread,
         (SELECT COUNT(*) FROM message_mentions x
           WHERE x.user_id = $1 AND x.conversation = q.c AND x.seq > q.mark) AS mentions
       FROM (
         SELECT c, i, COALESCE(
           (SELECT last_read FROM read_state WHERE user_id = $1 AND conversation = c), 0) AS mark
         FROM unnest($2::text[]) WITH ORDINALITY AS u(c, i)
       ) q ORDER BY q.i`,
      [userId, conversations.map((c) => c.key)],
    );
    return rows.map((r) => ({
      lastRead: formatMessageId(r.mark),
      unread: Number(r.unread),
      mentions: Number(r.mentions),
    }));
  }

  async directs(userId: string): Promise<DirectRecord[]> {
    const { rows } = await this.pool.query<MessageRow & { peer_id: string }>(
      `SELECT p.peer_id, m.* FROM direct_peers p
       CROSS JOIN LATERAL (
         SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE conversation = p.conversation ORDER BY seq DESC LIMIT 1
       ) m
       WHERE p.user_id = $1 ORDER BY m.seq DESC`,
      [userId],
    );
    return rows.map((r) => ({
      peerId: r.peer_id,
      conversation: r.conversation,
      last: messageFromRow(r),
    }));
  }

  async directKeys(userId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ conversation: string }>(
      "SELECT conversation FROM direct_peers WHERE user_id = $1",
      [userId],
    );
    return rows.map((r) => r.conversation);
  }

  async forgetUser(userId: string): Promise<void> {
    await this.pool.query("DELETE FROM read_state WHERE user_id = $1", [userId]);
    await this.pool.query("DELETE FROM direct_peers WHERE user_id = $1", [userId]);
  }
}
