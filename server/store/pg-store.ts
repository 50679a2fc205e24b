import { Pool, type PoolConfig } from "pg";
import type { Message } from "../../common/events";
import { PgMessageWriter } from "./pg-message-writer";
import { migrate } from "./pg-migrations";
import { MESSAGE_COLUMNS, withReplies, type MessageRow } from "./rows";
import {
  formatMessageId,
  type AppendResult,
  type ChatStore,
  type HistoryQuery,
  type NewMessage,
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
 * database (not one node's memory) deciding ids and `cid` duplicates.
 */
export class PgStore implements ChatStore {
  /** The connection pool, shared with the other PostgreSQL stores. */
  readonly pool: Pool;
  private readonly writer: PgMessageWriter;
  /**
   * Whether the database's lower() folds letters beyond ASCII (a UTF-8 LC_CTYPE such as
   * C.UTF-8 or en_US.UTF-8). Under the C or POSIX locale it does not, and search misses
   * "École" for "école": createStores logs a warning. Known after init().
   */
  foldsCase = true;

  constructor(config: PoolConfig, onError: (err: Error) => void = () => {}) {
    // A connection attempt that gets no answer (a database restarting, a network fault) fails
    // after 5 s instead of waiting forever, so the writer moves on and the node recovers.
    this.pool = new Pool({ max: 10, connectionTimeoutMillis: 5000, keepAlive: true, ...config });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    this.pool.on("error", onError);
    this.writer = new PgMessageWriter(this.pool);
  }

  async init(): Promise<void> {
    await migrate(this.pool);
    const { rows } = await this.pool.query<{ folds: boolean }>(
      "SELECT lower('ÉΣЖ') = 'éσж' AS folds",
    );
    this.foldsCase = rows[0].folds;
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
    return pgMessages(this.pool, rows);
  }

  async newestId(conversation: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ seq: string | null }>(
      "SELECT MAX(seq) AS seq FROM messages WHERE conversation = $1",
      [conversation],
    );
    return rows[0]?.seq == null ? undefined : formatMessageId(rows[0].seq);
  }

  async close(): Promise<void> {
    await this.writer.idle();
    await this.pool.end();
  }
}

/** Messages as served from PostgreSQL rows: replies filled in from their originals as they are now. */
export function pgMessages(pool: Pool, rows: MessageRow[]): Promise<Message[]> {
  return withReplies(rows, async (seqs) => {
    const found = await pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ANY($1::bigint[])`,
      [seqs],
    );
    return found.rows;
  });
}
