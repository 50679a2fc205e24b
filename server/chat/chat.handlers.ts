import type { Logger } from "pino";
import { ErrorCodes, type Message, type User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import { AckError, type Outcome } from "../socket/ack";
import { userRoom, type ChatServer, type ChatSocket } from "../socket/types";
import { GROUP_CONVERSATION, privateConversation, type ChatStore } from "../store/types";
import type { RateLimiter } from "./rate-limiter";
import { TextMsgSchema, TypingSchema } from "./schemas";

export type ChatDeps = {
  io: ChatServer;
  store: ChatStore;
  sessions: SessionService;
  rateLimiter: RateLimiter;
  log: Logger;
  /** How long a `cid` makes a resend safe. */
  cidWindowMs: number;
  now?: () => number;
};

const TYPING_MIN_INTERVAL_MS = 500;

/** Resolves a nickname typed by a client to the user who holds it now. */
export async function recipient(sessions: SessionService, name: string): Promise<User> {
  const holder = await sessions.holderOf(nicknameKey(name));
  if (!holder) throw new AckError(ErrorCodes.unknownRecipient);
  return holder;
}

export function chatHandlers(deps: ChatDeps) {
  const { io, store, sessions, rateLimiter } = deps;
  const now = deps.now ?? Date.now;

  async function textmsg(
    socket: ChatSocket,
    payload: unknown,
  ): Promise<Outcome<{ message: Message }>> {
    const parsed = TextMsgSchema.safeParse(payload);
    if (!parsed.success) throw new AckError(ErrorCodes.invalid);
    const { content, to: toName, cid } = parsed.data;
    const from = socket.data.user;
    const to = toName === undefined ? undefined : await recipient(sessions, toName);
    if (!(await rateLimiter.take(from.id))) throw new AckError(ErrorCodes.rateLimited);

    const ts = now();
    let result;
    try {
      result = await store.append(
        {
          from,
          to,
          conversation: to ? privateConversation(from.id, to.id) : GROUP_CONVERSATION,
          content,
          cid,
          ts,
        },
        ts - deps.cidWindowMs,
      );
    } catch (error) {
      await rateLimiter.refund(from.id);
      throw error;
    }
    if (result.duplicate) {
      await rateLimiter.refund(from.id);
      return { message: result.message };
    }
    const message = result.message;
    // The sender's ack is written first, then the broadcast to every socket.
    const afterAck = to
      ? () => io.to([userRoom(from.id), userRoom(to.id)]).emit("textmsg", message)
      : () => io.emit("textmsg", message);
    return { message, afterAck };
  }

  const lastTyping = new WeakMap<ChatSocket, number>();

  /** Relays "is typing" to the group (not the sender's own tabs) or to the private peer. */
  async function typing(socket: ChatSocket, payload: unknown): Promise<void> {
    const parsed = TypingSchema.safeParse(payload ?? {});
    if (!parsed.success) return;
    const t = now();
    if (t - (lastTyping.get(socket) ?? 0) < TYPING_MIN_INTERVAL_MS) return;
    lastTyping.set(socket, t);
    const from = socket.data.user;
    if (parsed.data.to === undefined) {
      socket.broadcast.except(userRoom(from.id)).emit("typing", { from });
      return;
    }
    const holder = await sessions.holderOf(nicknameKey(parsed.data.to));
    if (holder && holder.id !== from.id) {
      io.to(userRoom(holder.id)).emit("typing", { from, to: holder });
    }
  }

  return { textmsg, typing };
}
