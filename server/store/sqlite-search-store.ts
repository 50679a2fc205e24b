import type Database from "better-sqlite3";
import type { Message } from "../../common/events";
import { MESSAGE_COLUMNS, withRepliesSync, type MessageRow } from "./rows";
import {
  SHORT_SCAN_MAX,
  TRIGRAM,
  codePointLength,
  matchesAll,
  type SearchQuery,
  type SearchStore,
} from "./search-store";

const PAGE = 200;
const BEFORE_ALL = Number.MAX_SAFE_INTEGER;

/** Search over SQLite's FTS5 trigram index; short terms are checked on a bounded scan. */
export class SqliteSearchStore implements SearchStore {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      // Newest first straight from the index (FTS5 walks rowids in descending order).
      indexed: db.prepare(
        `SELECT ${MESSAGE_COLUMNS.split(", ")
          .map((c) => `m.${c}`)
          .join(", ")}
         FROM messages_fts f JOIN messages m ON m.seq = f.rowid
         WHERE messages_fts MATCH ? AND f.rowid < ?
           AND m.conversation IN (SELECT value FROM json_each(?)) AND m.deleted = 0
         ORDER BY f.rowid DESC LIMIT ?`,
      ),
      scan: db.prepare(
        `SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE conversation IN (SELECT value FROM json_each(?)) AND seq < ? AND deleted = 0
         ORDER BY seq DESC LIMIT ?`,
      ),
      bySeq: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ?`),
    };
  }

  async search(q: SearchQuery): Promise<Message[]> {
    if (q.conversations.length === 0 || q.terms.length === 0) return [];
    const long = q.terms.filter((t) => codePointLength(t) >= TRIGRAM);
    const convs = JSON.stringify(q.conversations);
    // A phrase per term, quotes doubled: every term as a substring, case-insensitively.
    const match = long.map((t) => `"${t.replaceAll('"', '""')}"`).join(" AND ");
    const found: MessageRow[] = [];
    let before = q.before !== undefined ? Number(q.before) : BEFORE_ALL;
    let scanned = 0;
    while (found.length < q.limit) {
      const page = (
        long.length
          ? this.s.indexed.all(match, before, convs, PAGE)
          : this.s.scan.all(convs, before, PAGE)
      ) as MessageRow[];
      for (const row of page) {
        if (matchesAll(row.content, q.terms)) found.push(row);
        if (found.length === q.limit) break;
      }
      scanned += page.length;
      if (page.length < PAGE || (!long.length && scanned >= SHORT_SCAN_MAX)) break;
      before = Number(page[page.length - 1].seq);
    }
    return withRepliesSync(found, (seqs) =>
      seqs.map((seq) => this.s.bySeq.get(seq) as MessageRow | undefined).filter((r) => !!r),
    );
  }
}
