// Row <-> wire conversions shared by the SQL backends.
import type { Message } from "../../common/events";
import { formatMessageId } from "./types";

/** The columns a `MessageRow` is read from, for both SQL backends. */
export const MESSAGE_COLUMNS =
  "seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts";

export type MessageRow = {
  seq: number | string;
  from_id: string;
  from_name: string;
  from_avatar: string;
  to_id: string | null;
  to_name: string | null;
  to_avatar: string | null;
  content: string;
  ts: number | string;
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
  return message;
}
