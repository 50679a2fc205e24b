import type Database from "better-sqlite3";
import {
  NOTHING_READ,
  type DirectRecord,
  type ReadStateStore,
  type ReadSummary,
} from "./read-store";
import { MESSAGE_COLUMNS, messageFromRow, type MessageRow } from "./rows";
import { formatMessageId } from "./types";

/**
 * Messages after the mark that others wrote, from each message's place in its conversation
 * (`n`) and among its author's messages there (`an`): four index seeks, however many.
 */
const UNREAD = `(
  COALESCE((SELECT n FROM messages WHERE conversation = q.c ORDER BY seq DESC LIMIT 1), 0)
  - COALESCE((SELECT n FROM messages WHERE conversation = q.c AND seq <= COALESCE(q.mark, 0)
      ORDER BY seq DESC LIMIT 1), 0)
  - COALESCE((SELECT an FROM messages WHERE conversation = q.c AND from_id = $user
      ORDER BY seq DESC LIMIT 1), 0)
  + COALESCE((SELECT an FROM messages WHERE conversation = q.c AND from_id = $user
      AND seq <= COALESCE(q.mark, 0) ORDER BY seq DESC LIMIT 1), 0))`;

type SummaryRow = { marked: number; mark: number; unread: number; mentions: number };

/** Read state in the embedded database (the handle of the SqliteStore). */
export class SqliteReadStateStore implements ReadStateStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      lastAtOrBefore: db.prepare(
        `SELECT MAX(seq) AS seq FROM messages WHERE conversation = ? AND seq <= ?`,
      ),
      newest: db.prepare(`SELECT MAX(seq) AS seq FROM messages WHERE conversation = ?`),
      upsert: db.prepare(
        `INSERT INTO read_state (user_id, conversation, last_read) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation) DO UPDATE SET last_read = MAX(last_read, excluded.last_read)
         RETURNING last_read`,
      ),
      startIfAbsent: db.prepare(
        `INSERT OR IGNORE INTO read_state (user_id, conversation, last_read) VALUES (?, ?, ?)`,
      ),
      mark: db.prepare(`SELECT last_read FROM read_state WHERE user_id = ? AND conversation = ?`),
      // The rooms snapshot: every mark and its counts in one query (the counts read only
      // indexes); a conversation that starts at its newest and has no mark yet gets one.
      startAll: db.prepare(
        `INSERT OR IGNORE INTO read_state (user_id, conversation, last_read)
         SELECT $user, c.value,
           COALESCE((SELECT MAX(seq) FROM messages WHERE conversation = c.value), 0)
         FROM json_each($keys) AS c`,
      ),
      summaries: db.prepare(
        `SELECT q.mark IS NOT NULL AS marked, COALESCE(q.mark, 0) AS mark,
           ${UNREAD} AS unread,
           (SELECT COUNT(*) FROM message_mentions x
             WHERE x.user_id = $user AND x.conversation = q.c AND x.seq > COALESCE(q.mark, 0))
             AS mentions
         FROM (
           SELECT c.value AS c, c.key AS i,
             (SELECT last_read FROM read_state WHERE user_id = $user AND conversation = c.value)
               AS mark
           FROM json_each($keys) AS c
         ) q ORDER BY q.i`,
      ),
      peers: db.prepare(`SELECT peer_id, conversation FROM direct_peers WHERE user_id = ?`),
      last: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT 1`,
      ),
      forgetReads: db.prepare(`DELETE FROM read_state WHERE user_id = ?`),
      forgetPeers: db.prepare(`DELETE FROM direct_peers WHERE user_id = ?`),
    };
  }

  async markRead(userId: string, conversation: string, id: string): Promise<string> {
    const at = (this.s.lastAtOrBefore.get(conversation, Number(id)) as { seq: number | null }).seq;
    const row = this.s.upsert.get(userId, conversation, at ?? 0) as { last_read: number };
    return formatMessageId(row.last_read);
  }

  async start(userId: string, conversation: string): Promise<void> {
    this.startNow(userId, conversation);
  }

  private startNow(userId: string, conversation: string): number {
    const newest = (this.s.newest.get(conversation) as { seq: number | null }).seq ?? 0;
    this.s.startIfAbsent.run(userId, conversation, newest);
    return (this.s.mark.get(userId, conversation) as { last_read: number }).last_read;
  }

  async summaries(
    userId: string,
    conversations: { key: string; startAtNewest: boolean }[],
  ): Promise<ReadSummary[]> {
    const keys = JSON.stringify(conversations.map((c) => c.key));
    const read = () => this.s.summaries.all({ user: userId, keys }) as SummaryRow[];
    // Reading first: only a conversation seen for the first time needs a write.
    let rows = read();
    const starting = conversations.filter((c, i) => c.startAtNewest && !rows[i].marked);
    if (starting.length) {
      rows = this.db.transaction(() => {
        this.s.startAll.run({ user: userId, keys: JSON.stringify(starting.map((c) => c.key)) });
        return read();
      })();
    }
    return rows.map((r) => ({
      lastRead: r.mark ? formatMessageId(r.mark) : NOTHING_READ,
      unread: r.unread,
      mentions: r.mentions,
    }));
  }

  async directs(userId: string): Promise<DirectRecord[]> {
    const peers = this.s.peers.all(userId) as { peer_id: string; conversation: string }[];
    const list: DirectRecord[] = [];
    for (const p of peers) {
      const row = this.s.last.get(p.conversation) as MessageRow | undefined;
      if (row)
        list.push({ peerId: p.peer_id, conversation: p.conversation, last: messageFromRow(row) });
    }
    return list.sort((a, b) => (a.last.id < b.last.id ? 1 : -1));
  }

  async directKeys(userId: string): Promise<string[]> {
    return (this.s.peers.all(userId) as { conversation: string }[]).map((p) => p.conversation);
  }

  async forgetUser(userId: string): Promise<void> {
    this.db.transaction(() => {
      this.s.forgetReads.run(userId);
      this.s.forgetPeers.run(userId);
    })();
  }
}
