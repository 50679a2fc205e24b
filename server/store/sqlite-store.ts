import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Message } from "../../common/events";
import type { Attachment } from "../../common/events";
import {
  MESSAGE_COLUMNS,
  attachmentsColumn,
  mentionsColumn,
  messageOf,
  withRepliesSync,
  type MessageRow,
} from "./rows";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations";
import { GroupCommit } from "./sqlite-group-commit";
import { SearchIndexer } from "./sqlite-search-index";
import {
  formatMessageId,
  type AppendResult,
  type ChatStore,
  type HistoryQuery,
  type NewMessage,
} from "./types";
import { UPLOAD_COLUMNS, claimable, type UploadRow } from "./upload-rows";
import { AttachmentsUnavailable } from "./upload-store";

/** Commits closer together than this are batched: at most this much added to an ack. */
const BUSY_MS = 2;

/**
 * The embedded store. Appends are group-committed (GroupCommit): every message offered during
 * one turn of the event loop goes into a single transaction, and each promise resolves after
 * that commit.
 */
export class SqliteStore implements ChatStore {
  /** The open database, shared with the other SQLite stores (rooms, read state, sessions…). */
  readonly db: Database.Database;
  /** The full-text index, kept up in batches; search reads its `upto`. */
  readonly searchIndex: SearchIndexer;
  private readonly appends: GroupCommit;
  private readonly statements;

  constructor(file: string) {
    if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode: a commit survives a process crash; only an OS crash may lose the tail.
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    // Freed space is zeroed: a deleted or edited message's old text leaves no trace in the file.
    this.db.pragma("secure_delete = ON");
    this.migrate();
    this.searchIndex = new SearchIndexer(this.db);
    // Messages a previous run stored but had not indexed yet.
    this.searchIndex.indexNow();
    this.appends = new GroupCommit(this.db, {
      busyMs: BUSY_MS,
      inBatch: () => this.searchIndex.stored(),
    });
    const db = this.db;
    this.statements = {
      insert: db.prepare(
        // `n` and `an`: the message's place in its conversation and among its author's
        // messages there (unread counts), each one past the newest so far (an index seek).
        `INSERT INTO messages (conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts, cid, mentions, reply_to, attachments, n, an)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
           COALESCE((SELECT n FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT 1), 0) + 1,
           COALESCE((SELECT an FROM messages WHERE conversation = ? AND from_id = ? ORDER BY seq DESC LIMIT 1), 0) + 1)`,
      ),
      insertMention: db.prepare(
        `INSERT OR IGNORE INTO message_mentions (user_id, conversation, seq) VALUES (?, ?, ?)`,
      ),
      insertPeer: db.prepare(
        `INSERT OR IGNORE INTO direct_peers (user_id, peer_id, conversation) VALUES (?, ?, ?)`,
      ),
      bySeq: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ?`),
      uploads: db.prepare(
        `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      claim: db.prepare(
        `UPDATE uploads SET message_seq = ? WHERE id IN (SELECT value FROM json_each(?))`,
      ),
      newestId: db.prepare(`SELECT MAX(seq) AS seq FROM messages WHERE conversation = ?`),
      byCid: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE from_id = ? AND cid = ? AND ts >= ? ORDER BY seq LIMIT 1`,
      ),
      newest: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?`,
      ),
      before: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
      ),
      after: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation = ? AND seq > ? ORDER BY seq ASC LIMIT ?`,
      ),
    };
  }

  private migrate(): void {
    const version = this.db.pragma("user_version", { simple: true }) as number;
    for (let v = version; v < SQLITE_MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(SQLITE_MIGRATIONS[v]);
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  async init(): Promise<void> {
    // Migrations run in the constructor: better-sqlite3 is synchronous.
  }

  append(message: NewMessage, cidSince: number): Promise<AppendResult> {
    return this.appends.run(() => this.insertOne(message, cidSince));
  }

  /** The sender's unsent uploads for `ids`, checked before anything of the message is written. */
  private claimable(m: NewMessage): Attachment[] | null | AttachmentsUnavailable {
    if (!m.attachments?.length) return null;
    const json = JSON.stringify(m.attachments);
    const rows = this.statements.uploads.all(json) as UploadRow[];
    return claimable(m.attachments, rows, m.from.id) ?? new AttachmentsUnavailable();
  }

  /** Throws AttachmentsUnavailable, having written nothing, if the uploads are not claimable. */
  private insertOne(m: NewMessage, cidSince: number): AppendResult {
    if (m.cid !== undefined) {
      // Also sees rows inserted earlier in this same transaction.
      const first = this.statements.byCid.get(m.from.id, m.cid, cidSince) as MessageRow | undefined;
      if (first) return { message: this.hydrate([first])[0], duplicate: true };
    }
    const attachments = this.claimable(m);
    if (attachments instanceof AttachmentsUnavailable) throw attachments;
    const info = this.statements.insert.run(
      m.conversation,
      m.from.id,
      m.from.name,
      m.from.avatar,
      m.to?.id ?? null,
      m.to?.name ?? null,
      m.to?.avatar ?? null,
      m.content,
      m.ts,
      m.cid ?? null,
      mentionsColumn(m),
      m.replyTo ? Number(m.replyTo.id) : null,
      attachmentsColumn(attachments),
      m.conversation,
      m.conversation,
      m.from.id,
    );
    const seq = info.lastInsertRowid;
    if (attachments) this.statements.claim.run(seq, JSON.stringify(m.attachments));
    for (const u of m.mentions ?? []) {
      if (u.id !== m.from.id) this.statements.insertMention.run(u.id, m.conversation, seq);
    }
    if (m.to) {
      this.statements.insertPeer.run(m.from.id, m.to.id, m.conversation);
      this.statements.insertPeer.run(m.to.id, m.from.id, m.conversation);
    }
    return { message: messageOf(m, seq, attachments), duplicate: false };
  }

  async newestId(conversation: string): Promise<string | undefined> {
    const row = this.statements.newestId.get(conversation) as { seq: number | null };
    return row.seq === null ? undefined : formatMessageId(row.seq);
  }

  async history(q: HistoryQuery): Promise<Message[]> {
    let rows: MessageRow[];
    if (q.after !== undefined) {
      rows = this.statements.after.all(q.conversation, Number(q.after), q.limit) as MessageRow[];
    } else {
      const stmt = q.before !== undefined ? this.statements.before : this.statements.newest;
      const args = q.before !== undefined ? [Number(q.before), q.limit] : [q.limit];
      rows = (stmt.all(q.conversation, ...args) as MessageRow[]).reverse();
    }
    return this.hydrate(rows);
  }

  /** Messages as served: replies filled in from their originals as they are now. */
  private hydrate(rows: MessageRow[]): Message[] {
    return withRepliesSync(rows, (seqs) =>
      seqs
        .map((seq) => this.statements.bySeq.get(seq) as MessageRow | undefined)
        .filter((r) => !!r),
    );
  }

  async close(): Promise<void> {
    this.appends.flush();
    this.searchIndex.close();
    if (this.db.open) {
      this.searchIndex.indexNow();
      this.db.close();
    }
  }
}
