import type { Message } from "../../common/events";

/** A user's read state in one conversation. */
export type ReadSummary = { lastRead: string; unread: number; mentions: number };

/** A private conversation the user has had, with its newest message. */
export type DirectRecord = { peerId: string; conversation: string; last: Message };

/**
 * Per user and conversation, the last read message id, and what follows from it: unread and
 * mention counts. Implementations: SQLite and PostgreSQL.
 */
export interface ReadStateStore {
  /**
   * Moves the mark forward to the conversation's last message at or before `id` (never back,
   * never past the newest). Returns the mark now stored.
   */
  markRead(userId: string, conversation: string, id: string): Promise<string>;
  /** Starts a mark at the conversation's newest message unless the user has one (on joining). */
  start(userId: string, conversation: string): Promise<void>;
  /**
   * Read state per conversation, in order. A conversation without a mark starts at its
   * newest message when `startAtNewest` (rooms, the group), else counts from the beginning.
   */
  summaries(
    userId: string,
    conversations: { key: string; startAtNewest: boolean }[],
  ): Promise<ReadSummary[]>;
  /** The user's private conversations, newest first. */
  directs(userId: string): Promise<DirectRecord[]>;
  /** The keys of the user's private conversations (what search may look into). */
  directKeys(userId: string): Promise<string[]>;
  /** A user gone for good: its marks and private conversation list go. */
  forgetUser(userId: string): Promise<void>;
}

/** The mark of a conversation nothing of which has been read. */
export const NOTHING_READ = "0".padStart(16, "0");
