// Row <-> wire conversions shared by the SQL backends.
import { GROUP_ROOM_ID, type Message, type User } from "../../common/events";
import { GROUP_CONVERSATION, formatMessageId, type NewMessage } from "./types";

/** `Message.room` for a stored conversation key: "group", a room id, or none (private). */
export function roomOfConversation(conversation: string): string | undefined {
  if (conversation === GROUP_CONVERSATION) return GROUP_ROOM_ID;
  if (conversation.startsWith("r:")) return conversation.slice(2);
  return undefined;
}

/** The columns a `MessageRow` is read from, for both SQL backends. */
export const MESSAGE_COLUMNS =
  "seq, conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts, mentions";

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
  return message;
}

/** The message as served, from what was offered to the store and the id it got. */
export function messageOf(m: NewMessage, seq: number | bigint | string): Message {
  const message: Message = { id: formatMessageId(seq), from: m.from, content: m.content, ts: m.ts };
  if (m.to) message.to = m.to;
  const room = roomOfConversation(m.conversation);
  if (room !== undefined) message.room = room;
  if (m.mentions?.length) message.mentions = m.mentions;
  return message;
}

/** The mentions column: who is mentioned, without the admin flag (it is not theirs to keep). */
export function mentionsColumn(m: NewMessage): string | null {
  if (!m.mentions?.length) return null;
  return JSON.stringify(m.mentions.map(({ id, name, avatar }) => ({ id, name, avatar })));
}
