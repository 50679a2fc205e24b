import type { Logger } from "pino";
import { ErrorCodes, GROUP_ROOM_ID, type Message, type TypingEvent } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import type { ConversationAccess } from "../conversations/access";
import type { Conversation } from "../conversations/conversation";
import type { RoomMembership } from "../rooms/membership";
import { AckError, type Outcome } from "../socket/ack";
import { userRoom, type ChatServer, type ChatSocket } from "../socket/types";
import type { MessageActionStore } from "../store/message-action-store";
import { GROUP_CONVERSATION, type ChatStore } from "../store/types";
import { roomConversation } from "../store/room-store";
import { AttachmentsUnavailable } from "../store/upload-store";
import { mentionsIn } from "./mentions";
import type { RateLimiter } from "./rate-limiter";
import { storedMessageId, TextMsgSchema, TypingSchema } from "./schemas";

export type ChatDeps = {
  io: ChatServer;
  store: ChatStore;
  actions: MessageActionStore;
  sessions: SessionService;
  access: ConversationAccess;
  membership: RoomMembership;
  rateLimiter: RateLimiter;
  /** One "is typing" relay per user and conversation per interval, across nodes. */
  typingLimiter: RateLimiter;
  log: Logger;
  /** How long a `cid` makes a resend safe. */
  cidWindowMs: number;
  /** Told of each new message after its broadcast (Web Push); must not throw or wait. */
  delivered?: (message: Message, conv: Conversation) => void;
  now?: () => number;
};

/** What a typing payload names, before any lookup: one key per conversation it can mean. */
function typingKey(room: string | undefined, to: string | undefined): string {
  if (to !== undefined) return `@${nicknameKey(to)}${room === undefined ? "" : `|${room}`}`;
  return room === undefined || room === GROUP_ROOM_ID ? GROUP_CONVERSATION : roomConversation(room);
}

export function chatHandlers(deps: ChatDeps) {
  const { io, store, sessions, access, rateLimiter } = deps;
  const now = deps.now ?? Date.now;

  async function textmsg(
    socket: ChatSocket,
    payload: unknown,
  ): Promise<Outcome<{ message: Message }>> {
    const parsed = TextMsgSchema.safeParse(payload);
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const { content, to, room, cid, attachments } = parsed.data;
    const from = socket.data.user;
    const conv = await access.resolve(from, { room, peer: to });
    // The original must be in the same conversation; anything else is not there for you.
    const replyTo = storedMessageId(parsed.data.replyTo);
    const original = replyTo === undefined ? undefined : await deps.actions.get(replyTo);
    if (original !== undefined && original?.conversation !== conv.key) {
      throw new AckError(ErrorCodes.notFound);
    }
    if (!(await rateLimiter.take(from.id))) throw new AckError(ErrorCodes.rateLimited);

    const ts = now();
    let result;
    try {
      // Sending to an open room one has not joined joins it first.
      if (conv.kind === "room" && (await access.mustJoinToWrite(from, conv))) {
        await deps.membership.join(conv.room, from.id);
      }
      const mentions = await mentionsIn(content, conv, sessions, access);
      result = await store.append(
        {
          from,
          to: conv.kind === "direct" ? conv.peer : undefined,
          conversation: conv.key,
          content,
          mentions,
          replyTo: original?.message ?? undefined,
          attachments,
          cid,
          ts,
        },
        ts - deps.cidWindowMs,
      );
    } catch (error) {
      await rateLimiter.refund(from.id);
      // Not the sender's unsent uploads: the same answer as for ids that do not exist.
      if (error instanceof AttachmentsUnavailable) throw new AckError(ErrorCodes.notFound);
      throw error;
    }
    if (result.duplicate) {
      await rateLimiter.refund(from.id);
      return { message: result.message };
    }
    const message = result.message;
    const audience = access.audience(conv);
    // The sender's ack is written first, then the broadcast to every socket.
    const afterAck = audience
      ? () => io.to(audience).emit("textmsg", message)
      : () => io.emit("textmsg", message);
    // Then push (Web Push) to those who are not connected.
    const thenPush = () => (afterAck(), deps.delivered?.(message, conv));
    return { message, afterAck: thenPush };
  }

  /**
   * Relays "is typing" to the conversation's audience but the sender's own sockets. Limited
   * per user and conversation (all sockets and nodes together), so typing to a peer never
   * hides typing in the group. The budget is taken before the conversation is looked up, keyed
   * by what the payload names (a room id, a nickname's key, the group room), so a flood costs
   * one lookup per interval at most. A relay over budget is answered `ok` whatever it
   * names, so the answer tells nothing about a room or nickname.
   */
  async function typing(socket: ChatSocket, payload: unknown): Promise<object> {
    const parsed = TypingSchema.safeParse(payload ?? {});
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const from = socket.data.user;
    const { room, to } = parsed.data;
    if (!(await deps.typingLimiter.take(`${from.id}|${typingKey(room, to)}`))) return {};
    const conv = await access.resolve(from, { room, peer: to });
    if (conv.kind === "direct" && conv.peer.id === from.id) return {};
    const audience = access.audience(conv);
    const event: TypingEvent = { from };
    if (conv.kind === "direct") event.to = conv.peer;
    if (conv.kind === "room") event.room = conv.room.id;
    if (audience) io.to(audience).except(userRoom(from.id)).emit("typing", event);
    else socket.broadcast.except(userRoom(from.id)).emit("typing", event);
    return {};
  }

  return { textmsg, typing };
}
