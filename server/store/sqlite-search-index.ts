import type Database from "better-sqlite3";

/** Messages left out of the full-text index before they are added to it in one go. */
export const INDEX_BATCH = 256;
/** The longest a message waits, when the room is quiet, before it is added to the index. */
export const INDEX_DELAY_MS = 1000;

/**
 * Keeps SQLite's full-text index (`messages_fts`) up with the messages table, in batches.
 *
 * FTS5 writes a new segment, and does merge work, in every transaction that adds to it, so
 * indexing each group commit's few messages cost more than storing them. Instead the newest
 * messages (at most INDEX_BATCH, or INDEX_DELAY_MS old) form an unindexed tail past
 * `search_indexed.upto`, which search scans row by row (see SqliteSearchStore), and are added
 * to the index together, in the transaction of the commit that fills the batch or by a timer.
 * The delete and edit triggers touch the index only for messages at or below `upto`: a
 * message edited or deleted while in the tail is indexed later as it is then (or not at all).
 */
export class SearchIndexer {
  private readonly s;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly db: Database.Database) {
    this.s = {
      upto: db.prepare(`SELECT upto FROM search_indexed`).pluck(),
      newest: db.prepare(`SELECT COALESCE(MAX(seq), 0) FROM messages`).pluck(),
      add: db.prepare(
        `INSERT INTO messages_fts (rowid, content) SELECT seq, content FROM messages
           WHERE seq > ? AND seq <= ? ORDER BY seq`,
      ),
      advance: db.prepare(`UPDATE search_indexed SET upto = ?`),
    };
  }

  /** The newest message in the index: every message after it is in the tail. */
  upto(): number {
    return this.s.upto.get() as number;
  }

  /**
   * Called inside each transaction that stores messages: indexes the tail in that same commit
   * once it holds a batch, else makes sure a timer will.
   */
  stored(): void {
    const newest = this.s.newest.get() as number;
    const upto = this.upto();
    if (newest <= upto) return;
    if (newest - upto >= INDEX_BATCH) this.indexTail(upto, newest);
    else this.timer ??= setTimeout(() => this.indexNow(), INDEX_DELAY_MS).unref();
  }

  /** Indexes every message stored so far, in a transaction of its own. */
  indexNow(): void {
    if (!this.db.open) return;
    this.db.transaction(() => this.indexTail(this.upto(), this.s.newest.get() as number))();
  }

  private indexTail(upto: number, newest: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (newest <= upto) return;
    this.s.add.run(upto, newest);
    this.s.advance.run(newest);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
