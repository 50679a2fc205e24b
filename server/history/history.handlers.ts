import { z } from "zod";
import { ErrorCodes, LIMITS, type Message } from "../../common/events";
import { messageId, nickname, roomId, storedMessageId } from "../chat/schemas";
import type { RateLimiter } from "../chat/rate-limiter";
import type { ConversationAccess } from "../conversations/access";
import { AckError } from "../socket/ack";
import type { ChatSocket } from "../socket/types";
import type { ChatStore } from "../store/types";

export const HistorySchema = z
  .object({
    with: nickname.optional(),
    room: roomId.optional(),
    before: messageId.optional(),
    after: messageId.optional(),
    limit: z.number().int().min(1).max(LIMITS.historyMax).optional(),
  })
  .refine((q) => q.before === undefined || q.after === undefined);

export function historyHandlers(deps: {
  store: ChatStore;
  access: ConversationAccess;
  /** History and search share READ_RATE_LIMIT a second per user. */
  limiter: RateLimiter;
}) {
  /**
   * The group room, a room the caller may read, or the caller's private conversation with a
   * nickname's current holder: conversations are keyed by user ids, so nobody reads one
   * they are not in.
   */
  async function history(socket: ChatSocket, payload: unknown): Promise<{ messages: Message[] }> {
    const parsed = HistorySchema.safeParse(payload ?? {});
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const q = parsed.data;
    if (!(await deps.limiter.take(socket.data.user.id))) throw new AckError(ErrorCodes.rateLimited);
    const conv = await deps.access.resolve(socket.data.user, { room: q.room, peer: q.with });
    // A cursor the server never issued is `not_found`; a stored-form id that is not stored
    // (deleted, or never used) is still a position.
    const messages = await deps.store.history({
      conversation: conv.key,
      before: storedMessageId(q.before),
      after: storedMessageId(q.after),
      limit: q.limit ?? LIMITS.historyDefault,
    });
    return { messages };
  }

  return { history };
}
