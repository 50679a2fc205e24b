import type Database from "better-sqlite3";
import type { Message, Reaction, User } from "../../common/events";
import {
  toggleReaction,
  type MessageActionStore,
  type StoredMessage,
} from "./message-action-store";
import { MESSAGE_COLUMNS, withRepliesSync, type MessageRow } from "./rows";

/**
 * A checkpoint that a reader kept from finishing (another connection's snapshot, such as a
 * backup in progress) is tried again after each of these delays, about 2.5 minutes in all;
 * after that the next edit or delete, or closing the database, checkpoints again.
 */
export const CHECKPOINT_RETRY_MS = [
  100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 60_000,
];

/** Edits, erasures and reactions in the embedded database (the handle of the SqliteStore). */
export class SqliteMessageActions implements MessageActionStore {
  private readonly s;
  private retry: NodeJS.Timeout | null = null;
  private retries = 0;

  constructor(private readonly db: Database.Database) {
    this.s = {
      get: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ?`),
      edit: db.prepare(
        `UPDATE messages SET content = ?, mentions = ?, edited_at = ? WHERE seq = ? AND deleted = 0`,
      ),
      erase: db.prepare(
        `UPDATE messages SET content = '', mentions = NULL, reactions = NULL, reply_to = NULL,
           attachments = NULL, deleted = 1 WHERE seq = ?`,
      ),
      clearMentions: db.prepare(`DELETE FROM message_mentions WHERE seq = ?`),
      addMention: db.prepare(
        `INSERT OR IGNORE INTO message_mentions (user_id, conversation, seq) VALUES (?, ?, ?)`,
      ),
      setReactions: db.prepare(`UPDATE messages SET reactions = ? WHERE seq = ?`),
    };
  }

  private row(id: string): MessageRow | undefined {
    return this.s.get.get(Number(id)) as MessageRow | undefined;
  }

  /** The message as served now, replies filled in. */
  private current(id: string): Message | null {
    const row = this.row(id);
    return row ? withRepliesSync([row], (seqs) => this.rows(seqs))[0] : null;
  }

  private rows(seqs: number[]): MessageRow[] {
    return seqs.map((seq) => this.s.get.get(seq) as MessageRow | undefined).filter((r) => !!r);
  }

  async get(id: string): Promise<StoredMessage | null> {
    const row = this.row(id);
    if (!row) return null;
    return {
      message: withRepliesSync([row], (seqs) => this.rows(seqs))[0],
      conversation: row.conversation,
    };
  }

  async edit(id: string, content: string, mentions: User[], editedAt: number) {
    const message = this.db.transaction(() => {
      const row = this.row(id);
      if (!row) return null;
      const list = mentions.map(({ id: uid, name, avatar }) => ({ id: uid, name, avatar }));
      this.s.edit.run(content, list.length ? JSON.stringify(list) : null, editedAt, row.seq);
      this.s.clearMentions.run(row.seq);
      for (const u of list) {
        if (u.id !== row.from_id) this.s.addMention.run(u.id, row.conversation, row.seq);
      }
      return this.current(id);
    })();
    if (message) this.checkpoint();
    return message;
  }

  /** Old page images in the write-ahead log would still hold the old text until a checkpoint. */
  private checkpoint(): void {
    this.retries = 0;
    this.tryCheckpoint();
  }

  private tryCheckpoint(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    if (!this.db.open || !this.truncateWal()) return;
    const delay = CHECKPOINT_RETRY_MS[this.retries++];
    if (delay === undefined) return;
    this.retry = setTimeout(() => this.tryCheckpoint(), delay);
    this.retry.unref();
  }

  /** Copies the whole log into the file and empties it; false when a reader made it busy. */
  private truncateWal(): boolean {
    // Not waiting for readers (busy_timeout would block the event loop): retried instead.
    const timeout = this.db.pragma("busy_timeout", { simple: true }) as number;
    this.db.pragma("busy_timeout = 0");
    try {
      const [result] = this.db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      return result.busy !== 0;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  async erase(id: string): Promise<Message | null> {
    const message = this.db.transaction(() => {
      const row = this.row(id);
      if (!row) return null;
      this.s.erase.run(row.seq);
      this.s.clearMentions.run(row.seq);
      return this.current(id);
    })();
    if (message) this.checkpoint();
    return message;
  }

  async react(id: string, user: User, emoji: string) {
    return this.db.transaction(() => {
      const row = this.row(id);
      if (!row || row.deleted) return null;
      const before = row.reactions ? (JSON.parse(row.reactions) as Reaction[]) : [];
      const after = toggleReaction(before, user, emoji);
      if (after === "too_many") return after;
      this.s.setReactions.run(after.length ? JSON.stringify(after) : null, row.seq);
      return this.current(id);
    })();
  }
}
