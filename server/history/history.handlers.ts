import { z } from "zod";
import { ErrorCodes, LIMITS, type Message } from "../../common/events";
import type { SessionService } from "../auth/session-service";
import { recipient } from "../chat/chat.handlers";
import { AckError } from "../socket/ack";
import type { ChatSocket } from "../socket/types";
import {
  GROUP_CONVERSATION,
  isMessageId,
  privateConversation,
  type ChatStore,
} from "../store/types";

const messageId = z.string().refine(isMessageId);

export const HistorySchema = z
  .object({
    with: z.string().max(200).optional(),
    before: messageId.optional(),
    after: messageId.optional(),
    limit: z.number().int().min(1).max(LIMITS.historyMax).optional(),
  })
  .refine((q) => q.before === undefined || q.after === undefined);

export function historyHandlers(deps: { store: ChatStore; sessions: SessionService }) {
  /**
   * The group room, or the caller's private conversation with a nickname's current holder:
   * conversations are keyed by user ids, so nobody reads one they are not in.
   */
  async function history(socket: ChatSocket, payload: unknown): Promise<{ messages: Message[] }> {
    const parsed = HistorySchema.safeParse(payload ?? {});
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const q = parsed.data;
    const me = socket.data.user;
    const conversation =
      q.with === undefined
        ? GROUP_CONVERSATION
        : privateConversation(me.id, (await recipient(deps.sessions, q.with)).id);
    const messages = await deps.store.history({
      conversation,
      before: q.before,
      after: q.after,
      limit: q.limit ?? LIMITS.historyDefault,
    });
    return { messages };
  }

  return { history };
}
