// Row <-> wire conversions shared by the SQL backends.
import {
  GROUP_ROOM_ID,
  LIMITS,
  type Attachment,
  type Message,
  type Reaction,
  type User,
} from "../../common/events";
import { GROUP_CONVERSATION, formatMessageId, type NewMessage } from "./types";

/** `Message.room` for a stored conversation key: "group", a room id, or none (private). */
export function roomOfConversation(conversation: string): string | undefined {
  if (conversation === GROUP_CONVERSATION) return GROUP_ROOM_ID;
  if (conversation.startsWith("r:")) return conversation.slice(2);
  return undefined;
}

/** The columns a `MessageRow` is read from, for both SQL backends. */
export const MESSAGE_COLUMNS =
  "seq, conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts, mentions, reply_to, edited_at, deleted, reactions, attachments";

export type MessageRow = {
  seq: number | string;
  conversation: string;
  from_id: string;
  from_name: string;
  from_avatar: string;
  to_id: string | null;
  to_name: string | null;
  to_avatar: string | null;
  content: string;
  ts: number | string;
  /** JSON array of the users mentioned, or null. */
  mentions: string | null;
  reply_to: number | string | null;
  edited_at: number | string | null;
  deleted: number | boolean;
  /** JSON array of `Reaction`s, or null. */
  reactions: string | null;
  /** JSON array of `Attachment`s, or null. */
  attachments: string | null;
};

export function messageFromRow(row: MessageRow): Message {
  const message: Message = {
    id: formatMessageId(row.seq),
    from: { id: row.from_id, name: row.from_name, avatar: row.from_avatar },
    content: row.content,
    ts: Number(row.ts),
  };
  if (row.to_id !== null && row.to_name !== null && row.to_avatar !== null) {
    message.to = { id: row.to_id, name: row.to_name, avatar: row.to_avatar };
  }
  const room = roomOfConversation(row.conversation);
  if (room !== undefined) message.room = room;
  if (row.mentions) message.mentions = JSON.parse(row.mentions) as User[];
  if (row.attachments) message.attachments = JSON.parse(row.attachments) as Attachment[];
  if (row.reactions) message.reactions = JSON.parse(row.reactions) as Reaction[];
  if (row.edited_at !== null) message.editedAt = Number(row.edited_at);
  if (row.deleted) message.deleted = true;
  return message;
}

/** The snippet of an original that a reply carries, as the original is now. */
export function replySnippet(original: Message): NonNullable<Message["replyTo"]> {
  const chars = [...original.content];
  const content =
    chars.length > LIMITS.replySnippet
      ? chars.slice(0, LIMITS.replySnippet).join("")
      : original.content;
  return { id: original.id, from: original.from, content };
}

/** The originals a page of rows answers, by sequence number. */
function repliedSeqs(rows: MessageRow[]): number[] {
  return [...new Set(rows.filter((r) => r.reply_to !== null).map((r) => Number(r.reply_to)))];
}

function fillReplies(rows: MessageRow[], originals: MessageRow[]): Message[] {
  const bySeq = new Map(originals.map((r) => [Number(r.seq), messageFromRow(r)]));
  return rows.map((r) => {
    const message = messageFromRow(r);
    const original = r.reply_to === null ? undefined : bySeq.get(Number(r.reply_to));
    if (original) message.replyTo = replySnippet(original);
    return message;
  });
}

/**
 * The rows' messages with `replyTo` filled in from the originals as they are now; `fetch`
 * reads the originals by sequence number (one query for the whole page).
 */
export async function withReplies(
  rows: MessageRow[],
  fetch: (seqs: number[]) => Promise<MessageRow[]>,
): Promise<Message[]> {
  const wanted = repliedSeqs(rows);
  return fillReplies(rows, wanted.length ? await fetch(wanted) : []);
}

/** `withReplies` for the synchronous SQLite driver. */
export function withRepliesSync(
  rows: MessageRow[],
  fetch: (seqs: number[]) => MessageRow[],
): Message[] {
  const wanted = repliedSeqs(rows);
  return fillReplies(rows, wanted.length ? fetch(wanted) : []);
}

/** The message as served, from what was offered to the store and the id it got. */
export function messageOf(
  m: NewMessage,
  seq: number | bigint | string,
  attachments?: Attachment[] | null,
): Message {
  const message: Message = { id: formatMessageId(seq), from: m.from, content: m.content, ts: m.ts };
  if (m.to) message.to = m.to;
  const room = roomOfConversation(m.conversation);
  if (room !== undefined) message.room = room;
  if (m.mentions?.length) message.mentions = m.mentions;
  if (attachments?.length) message.attachments = attachments;
  if (m.replyTo) message.replyTo = replySnippet(m.replyTo);
  return message;
}

/** The mentions column: who is mentioned, without the admin flag (it is not theirs to keep). */
export function mentionsColumn(m: NewMessage): string | null {
  if (!m.mentions?.length) return null;
  return JSON.stringify(m.mentions.map(({ id, name, avatar }) => ({ id, name, avatar })));
}

/** The attachments column. */
export function attachmentsColumn(attachments: Attachment[] | null | undefined): string | null {
  return attachments?.length ? JSON.stringify(attachments) : null;
}
