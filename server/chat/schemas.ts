import { z } from "zod";
import { ErrorCodes, LIMITS } from "../../common/events";
import { AckError } from "../socket/ack";
import { formatMessageId, isMessageId } from "../store/types";

/**
 * A message id as sent by a client: ids are opaque, so any string of 1 to 64 characters is
 * well formed (`invalid` is only for a non-string, an empty or a longer one). Whether it is
 * stored is for `storedMessageId`.
 */
export const messageId = z.string().min(1).max(64);

/**
 * A client's message id in the store's form, or `not_found` when it is not an id the store
 * could have issued: the same answer as for a message that does not exist or is hidden. Every
 * handler passes a client's message id (a target, `replyTo`, a `read` mark, a history or
 * search cursor) through this before it reaches a store, so no other string reaches a query.
 * A well-formed store id that is not stored is left to the store (a cursor or a read mark is
 * then a position).
 */
export function storedMessageId(id: string): string;
export function storedMessageId(id: string | undefined): string | undefined;
export function storedMessageId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (!isMessageId(id)) throw new AckError(ErrorCodes.notFound);
  return formatMessageId(id);
}

function codePoints(s: string): number {
  // Strings this short in UTF-16 units cannot be longer in code points.
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Trimmed text of at most `max` code points, possibly empty. */
const textUpTo = (max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .refine((s) => (s.length <= max || codePoints(s) <= max) && !s.includes("\0"));

export const boundedText = (max: number) => textUpTo(max).refine((s) => s.length > 0);

/** A nickname field as sent by a client: any string; whether someone holds it is checked later. */
export const nickname = z.string().max(200);
/** A room id as sent by a client; whether the caller may see it is checked later. */
export const roomId = z.string().min(1).max(64);

/** An upload id as sent by a client (whether it is the sender's, unsent, is checked later). */
export const uploadId = z.string().min(1).max(64);

export const TextMsgSchema = z
  .object({
    content: textUpTo(LIMITS.contentMax),
    to: nickname.optional(),
    room: roomId.optional(),
    replyTo: messageId.optional(),
    cid: z
      .string()
      .min(1)
      .refine((s) => s.length <= LIMITS.cidMax || codePoints(s) <= LIMITS.cidMax)
      .optional(),
    attachments: z.array(uploadId).min(1).max(LIMITS.attachmentsMax).optional(),
  })
  // Text, files, or both: never neither.
  .refine((m) => m.content.length > 0 || m.attachments !== undefined);
export type TextMsgInput = z.infer<typeof TextMsgSchema>;

export const TypingSchema = z.object({ to: nickname.optional(), room: roomId.optional() });
export type TypingInput = z.infer<typeof TypingSchema>;
