import { z } from "zod";
import { ErrorCodes, LIMITS, type Message } from "../../common/events";
import { messageId, nickname, roomId, storedMessageId } from "../chat/schemas";
import type { RateLimiter } from "../chat/rate-limiter";
import type { ConversationAccess } from "../conversations/access";
import { AckError } from "../socket/ack";
import type { ChatSocket } from "../socket/types";
import { searchTerms, type SearchStore } from "../store/search-store";

export const SearchSchema = z.object({
  q: z
    .string()
    .transform((q) => q.trim())
    .refine((q) => q.length > 0 && [...q].length <= LIMITS.searchQueryMax && !q.includes("\0")),
  with: nickname.optional(),
  room: roomId.optional(),
  limit: z.number().int().min(1).max(LIMITS.searchMax).optional(),
  before: messageId.optional(),
});

export function searchHandlers(deps: {
  search: SearchStore;
  access: ConversationAccess;
  /** History and search share READ_RATE_LIMIT a second per user. */
  limiter: RateLimiter;
}) {
  /**
   * Messages holding every term of `q` as a case-insensitive substring, newest first, in the
   * one conversation asked for or in every conversation the caller may read; never elsewhere.
   */
  async function search(socket: ChatSocket, payload: unknown): Promise<{ messages: Message[] }> {
    const parsed = SearchSchema.safeParse(payload);
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const p = parsed.data;
    const me = socket.data.user;
    if (!(await deps.limiter.take(me.id))) throw new AckError(ErrorCodes.rateLimited);
    const conversations =
      p.with === undefined && p.room === undefined
        ? await deps.access.readableKeys(me)
        : [(await deps.access.resolve(me, { room: p.room, peer: p.with })).key];
    // As in history: a cursor the server never issued is `not_found`.
    const messages = await deps.search.search({
      terms: searchTerms(p.q),
      conversations,
      before: storedMessageId(p.before),
      limit: p.limit ?? LIMITS.searchDefault,
    });
    return { messages };
  }

  return { search };
}
