import type { Pool } from "pg";
import type { Message } from "../../common/events";
import { pgMessages } from "./pg-store";
import { MESSAGE_COLUMNS, type MessageRow } from "./rows";
import {
  SHORT_SCAN_MAX,
  TRIGRAM,
  codePointLength,
  matchesAll,
  type SearchQuery,
  type SearchStore,
} from "./search-store";

const BEFORE_ALL = "9223372036854775807";

/** `%term%` for LIKE, with the pattern characters escaped. */
const likeAny = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The search statement for `count` terms: one `lower(content) LIKE $n` per term, ANDed, so
 * the planner matches each to the pg_trgm index on lower(content) (it never does for
 * `LIKE ALL(array)`). Parameters: $1 conversations, $2 before, $3 limit, $4… the terms'
 * patterns; only the number of terms shapes the SQL. `indexed`: some term is long enough
 * for the trigram index; otherwise the newest readable messages are scanned, bounded.
 */
export function searchSql(count: number, indexed: boolean): string {
  const like = Array.from({ length: count }, (_, i) => `lower(content) LIKE $${4 + i}`).join(
    " AND ",
  );
  return indexed
    ? `SELECT ${MESSAGE_COLUMNS} FROM messages
       WHERE conversation = ANY($1) AND seq < $2 AND NOT deleted AND ${like}
       ORDER BY seq DESC LIMIT $3`
    : `SELECT * FROM (
         SELECT ${MESSAGE_COLUMNS} FROM messages
         WHERE conversation = ANY($1) AND seq < $2 AND NOT deleted
         ORDER BY seq DESC LIMIT ${SHORT_SCAN_MAX}
       ) w WHERE ${like} ORDER BY seq DESC LIMIT $3`;
}

/** The parameters of `searchSql`. */
export function searchParams(q: SearchQuery): unknown[] {
  return [q.conversations, q.before ?? BEFORE_ALL, q.limit, ...q.terms.map(likeAny)];
}

/** Search with PostgreSQL's pg_trgm index on lower(content); short terms scan a bounded window. */
export class PgSearchStore implements SearchStore {
  constructor(private readonly pool: Pool) {}

  async search(q: SearchQuery): Promise<Message[]> {
    if (q.conversations.length === 0 || q.terms.length === 0) return [];
    const indexed = q.terms.some((t) => codePointLength(t) >= TRIGRAM);
    const { rows } = await this.pool.query<MessageRow>(
      searchSql(q.terms.length, indexed),
      searchParams(q),
    );
    // lower() follows the database's LC_CTYPE (a UTF-8 locale folds every script; see
    // pg-store.ts); the same fold as SQLite's decides in the end.
    return pgMessages(
      this.pool,
      rows.filter((r) => matchesAll(r.content, q.terms)),
    );
  }
}
