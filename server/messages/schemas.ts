import { z } from "zod";
import { LIMITS } from "../../common/events";
import { boundedText, messageId } from "../chat/schemas";

/** One emoji: an RGI emoji sequence (skin tones, ZWJ families, flags, keycaps). */
const RGI_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");

export const EditSchema = z.object({ id: messageId, content: boundedText(LIMITS.contentMax) });
export const MessageRefSchema = z.object({ id: messageId });
export const ReactSchema = z.object({
  id: messageId,
  emoji: z
    .string()
    .max(64)
    .refine((e) => RGI_EMOJI.test(e)),
});
