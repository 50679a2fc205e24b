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

const BEFORE_ALL = Number.MAX_SAFE_INTEGER;
type Hit = { seq: number; content: string };

/**
 * A cheap SQL test for a short term that cannot miss a match: exact for caseless scripts
 * (Chinese, Japanese…), LIKE's ASCII case folding for ASCII terms; null when only the final
 * fold in JS can tell.
 */
function prefilter(term: string): { sql: string; arg: string } | null {
  if (term.toUpperCase() === term.toLowerCase()) return { sql: "instr(content, ?) > 0", arg: term };
  if (/^[\x20-\x7e]+$/.test(term)) {
    return {
      sql: "content LIKE ? ESCAPE '\\'",
      arg: `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    };
  }
  return null;
}

/**
 * Search over SQLite's FTS5 trigram index, newest first. Terms shorter than a trigram are
 * checked on a bounded scan of the newest readable messages. Candidates carry only their
 * text; the full rows are read for the few that match.
 */
export class SqliteSearchStore implements SearchStore {
  private readonly s;
  private readonly scans = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.s = {
      // Newest first straight from the index (FTS5 walks rowids in descending order).
      indexed: db.prepare(
        `SELECT m.seq, m.content FROM messages_fts f JOIN messages m ON m.seq = f.rowid
         WHERE messages_fts MATCH ? AND f.rowid < ?
           AND m.conversation IN (SELECT value FROM json_each(?)) AND m.deleted = 0
         ORDER BY f.rowid DESC`,
      ),
      // The newest messages, not in the index yet (SearchIndexer): a short walk of rowids.
      tail: db.prepare(
        `SELECT seq, content FROM messages
         WHERE seq > ? AND seq < ? AND +conversation IN (SELECT value FROM json_each(?))
           AND deleted = 0
         ORDER BY seq DESC`,
      ),
      upto: db.prepare(`SELECT upto FROM search_indexed`).pluck(),
      bySeq: db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = ?`),
    };
  }

  async search(q: SearchQuery): Promise<Message[]> {
    if (q.conversations.length === 0 || q.terms.length === 0) return [];
    const convs = JSON.stringify(q.conversations);
    const before = q.before !== undefined ? Number(q.before) : BEFORE_ALL;
    const long = q.terms.filter((t) => codePointLength(t) >= TRIGRAM);
    const hits = long.length ? this.indexed(long, q, convs, before) : this.scan(q, convs, before);
    const rows = hits.map((h) => this.s.bySeq.get(h.seq) as MessageRow);
    return withRepliesSync(rows, (seqs) =>
      seqs.map((seq) => this.s.bySeq.get(seq) as MessageRow | undefined).filter((r) => !!r),
    );
  }

  private indexed(long: string[], q: SearchQuery, convs: string, from: number): Hit[] {
    // The unindexed tail first: every message in it is newer than every indexed one.
    const upto = this.s.upto.get() as number;
    const found: Hit[] = [];
    for (const hit of this.s.tail.iterate(upto, from, convs) as Iterable<Hit>) {
      if (matchesAll(hit.content, q.terms)) found.push(hit);
      if (found.length === q.limit) return found;
    }
    // A phrase per term, quotes doubled: every term as a substring, case-insensitively.
    const match = long.map((t) => `"${t.replaceAll('"', '""')}"`).join(" AND ");
    // FTS5 walks the matches newest first and lazily: stop as soon as the page is full.
    const below = Math.min(from, upto + 1);
    for (const hit of this.s.indexed.iterate(match, below, convs) as Iterable<Hit>) {
      if (matchesAll(hit.content, q.terms)) found.push(hit);
      if (found.length === q.limit) break;
    }
    return found;
  }

  private scan(q: SearchQuery, convs: string, before: number): Hit[] {
    const filters = q.terms.map(prefilter).filter((f) => f !== null);
    const where = filters.map((f) => ` AND ${f.sql}`).join("");
    // One conversation: walk its index. Several (usually most of the store): walk the table
    // newest first (`+conversation` keeps the planner off the per-conversation index).
    const column = q.conversations.length === 1 ? "conversation" : "+conversation";
    const key = `${column}${where}`;
    let stmt = this.scans.get(key);
    if (!stmt) {
      stmt = this.db.prepare(
        `SELECT seq, content FROM (
           SELECT seq, content FROM messages
           WHERE ${column} IN (SELECT value FROM json_each(?)) AND seq < ? AND deleted = 0
           ORDER BY seq DESC LIMIT ${SHORT_SCAN_MAX}
         ) WHERE 1${where} ORDER BY seq DESC`,
      );
      this.scans.set(key, stmt);
    }
    const found: Hit[] = [];
    for (const hit of stmt.iterate(convs, before, ...filters.map((f) => f.arg)) as Iterable<Hit>) {
      if (matchesAll(hit.content, q.terms)) found.push(hit);
      if (found.length === q.limit) break;
    }
    return found;
  }
}
