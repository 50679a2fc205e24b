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

/** Search with PostgreSQL's pg_trgm index on lower(content); short terms scan a bounded window. */
export class PgSearchStore implements SearchStore {
  constructor(private readonly pool: Pool) {}

  async search(q: SearchQuery): Promise<Message[]> {
    if (q.conversations.length === 0 || q.terms.length === 0) return [];
    const indexed = q.terms.some((t) => codePointLength(t) >= TRIGRAM);
    const { rows } = await this.pool.query<MessageRow>(
      indexed
        ? `SELECT ${MESSAGE_COLUMNS} FROM messages
           WHERE conversation = ANY($1) AND seq < $2 AND NOT deleted
             AND lower(content) LIKE ALL($3)
           ORDER BY seq DESC LIMIT $4`
        : `SELECT * FROM (
             SELECT ${MESSAGE_COLUMNS} FROM messages
             WHERE conversation = ANY($1) AND seq < $2 AND NOT deleted
             ORDER BY seq DESC LIMIT ${SHORT_SCAN_MAX}
           ) w WHERE lower(content) LIKE ALL($3) ORDER BY seq DESC LIMIT $4`,
      [q.conversations, q.before ?? BEFORE_ALL, q.terms.map(likeAny), q.limit],
    );
    // lower() follows the database's locale; the same fold as SQLite's decides in the end.
    return pgMessages(
      this.pool,
      rows.filter((r) => matchesAll(r.content, q.terms)),
    );
  }
}
