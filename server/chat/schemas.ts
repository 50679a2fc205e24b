import { z } from "zod";
import { LIMITS } from "../../common/events";
import { isMessageId } from "../store/types";

/** A message id as sent by a client: a string of 1 to 16 digits. */
export const messageId = z.string().refine(isMessageId);

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
