import { z } from "zod";
import { ErrorCodes, GROUP_ROOM_ID, type ReadEvent } from "../../common/events";
import type { RateLimiter } from "../chat/rate-limiter";
import { messageId, nickname, roomId, storedMessageId } from "../chat/schemas";
import type { ConversationAccess } from "../conversations/access";
import { AckError, type Outcome } from "../socket/ack";
import { userRoom, type ChatServer, type ChatSocket } from "../socket/types";
import type { ReadStateStore } from "../store/read-store";

export const ReadSchema = z.object({
  room: roomId.optional(),
  with: nickname.optional(),
  id: messageId,
});

export function readHandlers(deps: {
  io: ChatServer;
  reads: ReadStateStore;
  access: ConversationAccess;
  /** READ_MARK_RATE_LIMIT marks per 10 s per user, apart from history's budget. */
  limiter: RateLimiter;
}) {
  /** Marks a conversation read up to a message, on every socket of the reader. */
  async function read(socket: ChatSocket, payload: unknown): Promise<Outcome<object>> {
    const parsed = ReadSchema.safeParse(payload);
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const { room, with: peer, id } = parsed.data;
    const me = socket.data.user;
    if (!(await deps.limiter.take(me.id))) throw new AckError(ErrorCodes.rateLimited);
    const conv = await deps.access.resolve(me, { room, peer });
    // An id the store never issued is `not_found`; a stored-form one is a position.
    const mark = await deps.reads.markRead(me.id, conv.key, storedMessageId(id));
    const event: ReadEvent = { id: mark };
    if (conv.kind === "direct") event.with = conv.peer;
    else event.room = conv.kind === "room" ? conv.room.id : GROUP_ROOM_ID;
    return { afterAck: () => deps.io.to(userRoom(me.id)).emit("read", event) };
  }

  return { read };
}
