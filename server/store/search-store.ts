import type { Message } from "../../common/events";

/** Every term must occur in the content, case-insensitively; terms are already folded. */
export type SearchQuery = {
  terms: string[];
  /** The conversation keys the caller may read (and wants searched). */
  conversations: string[];
  before?: string;
  limit: number;
};

/** Message search. Implementations: SQLite FTS5 (trigram) and PostgreSQL pg_trgm. */
export interface SearchStore {
  /** Matching messages that are not deleted, newest first. */
  search(query: SearchQuery): Promise<Message[]>;
}

/** The case folding both the query and the content go through. */
export function foldCase(text: string): string {
  return text.toLowerCase();
}

/** The whitespace-separated terms of a query, folded, without repeats. */
export function searchTerms(q: string): string[] {
  return [...new Set(foldCase(q).split(/\s+/u).filter(Boolean))];
}

export function matchesAll(content: string, terms: string[]): boolean {
  const folded = foldCase(content);
  return terms.every((t) => folded.includes(t));
}

/** Trigram indexes need three characters; shorter terms are checked by a bounded scan. */
export const TRIGRAM = 3;
export const codePointLength = (s: string) => [...s].length;
/** How many of the newest readable messages a search of only short terms looks through. */
export const SHORT_SCAN_MAX = 20_000;
