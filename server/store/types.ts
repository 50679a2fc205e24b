import type { Message, User } from "../../common/events";

export type NewMessage = {
  from: User;
  to?: User;
  /** "group", a room's key (`r:<id>`), or the private conversation key of the two user ids. */
  conversation: string;
  content: string;
  /** Users the content mentions who can read the conversation. */
  mentions?: User[];
  /** The message this one answers (same conversation), as it is now. */
  replyTo?: Message;
  /** Upload ids, claimed for this message in its transaction (AttachmentsUnavailable if not the sender's unsent uploads). */
  attachments?: string[];
  cid?: string;
  ts: number;
};

export type AppendResult = { message: Message; duplicate: boolean };

/** `before` and `after` are message ids; at most one of them is set. */
export type HistoryQuery = {
  conversation: string;
  before?: string;
  after?: string;
  limit: number;
};

/**
 * The messages the chat keeps (sessions: SessionStore). Implementations: SQLite (embedded default) and PostgreSQL.
 * Message ids are assigned by the store and sort as strings in acceptance order.
 */
export interface ChatStore {
  /** Runs pending migrations. */
  init(): Promise<void>;

  /**
   * Stores a message; resolves only once it is durable (committed).
   * If `from` already sent `cid` since `cidSince`, stores nothing and returns the first message.
   */
  append(message: NewMessage, cidSince: number): Promise<AppendResult>;
  /** Oldest first. */
  history(query: HistoryQuery): Promise<Message[]>;
  /** The id of the conversation's newest message, if any. */
  newestId(conversation: string): Promise<string | undefined>;

  /** Waits for writes in flight, then releases the database. */
  close(): Promise<void>;
}

export const GROUP_CONVERSATION = "group";

/** The same key for both directions of a private conversation. */
export function privateConversation(a: string, b: string): string {
  return a < b ? `p:${a}:${b}` : `p:${b}:${a}`;
}

const ID_WIDTH = 16;
export function formatMessageId(seq: number | bigint | string): string {
  return String(seq).padStart(ID_WIDTH, "0");
}
export function isMessageId(id: string): boolean {
  return /^\d{1,16}$/.test(id);
}
