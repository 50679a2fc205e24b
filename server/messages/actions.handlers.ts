// Edit, delete and react: each answered with its ack, then broadcast as `message:update` to
// exactly the audience of the original message, on every node.
import { ErrorCodes, type Message } from "../../common/events";
import type { SessionService } from "../auth/session-service";
import { mentionsIn } from "../chat/mentions";
import { storedMessageId } from "../chat/schemas";
import type { RateLimiter } from "../chat/rate-limiter";
import type { ConversationAccess } from "../conversations/access";
import type { Conversation } from "../conversations/conversation";
import { AckError, type Outcome } from "../socket/ack";
import { limited, parse } from "../socket/handler-kit";
import type { ChatServer, ChatSocket } from "../socket/types";
import type { MessageActionStore } from "../store/message-action-store";
import type { UploadStore } from "../store/upload-store";
import { EditSchema, MessageRefSchema, ReactSchema } from "./schemas";

export type ActionDeps = {
  io: ChatServer;
  actions: MessageActionStore;
  sessions: SessionService;
  access: ConversationAccess;
  /** A deleted message's files go with it. */
  uploads: UploadStore;
  /** The message limit: edits and deletes count as messages. */
  rateLimiter: RateLimiter;
  /** 60 reactions per 10 s per user. */
  reactionLimiter: RateLimiter;
  now?: () => number;
};

type Result = Outcome<{ message: Message }>;

export function actionHandlers(deps: ActionDeps) {
  const { io, actions, access } = deps;
  const now = deps.now ?? Date.now;

  /**
   * The message a client names, in the store's form, and its conversation, if the caller may
   * read it (else `not_found`, as for an id the store never issued).
   */
  async function target(socket: ChatSocket, clientId: string) {
    const id = storedMessageId(clientId);
    const stored = await actions.get(id);
    const conv = await access.ofMessage(socket.data.user, stored);
    return { id, message: stored!.message, conv };
  }

  function update(conv: Conversation, message: Message): Result {
    const audience = access.audience(conv);
    const emit = () =>
      audience
        ? io.to(audience).emit("message:update", message)
        : io.emit("message:update", message);
    return { message, afterAck: emit };
  }

  async function edit(socket: ChatSocket, payload: unknown): Promise<Result> {
    const parsed = parse(EditSchema, payload);
    const me = socket.data.user;
    const { id, message, conv } = await target(socket, parsed.id);
    if (!access.mayEdit(me, message) || message.deleted) throw new AckError(ErrorCodes.forbidden);
    return limited(deps.rateLimiter, me.id, async () => {
      const mentions = await mentionsIn(parsed.content, conv, deps.sessions, access);
      const edited = await actions.edit(id, parsed.content, mentions, now());
      if (!edited) throw new AckError(ErrorCodes.notFound);
      return update(conv, edited);
    });
  }

  async function remove(socket: ChatSocket, payload: unknown): Promise<Result> {
    const parsed = parse(MessageRefSchema, payload);
    const me = socket.data.user;
    const { id, message, conv } = await target(socket, parsed.id);
    if (!access.mayDelete(me, message, conv)) throw new AckError(ErrorCodes.forbidden);
    if (message.deleted) return { message };
    return limited(deps.rateLimiter, me.id, async () => {
      const erased = await actions.erase(id);
      if (!erased) throw new AckError(ErrorCodes.notFound);
      // Served to nobody from the erase on (a deleted message has no files); gone from disk or
      // database now, or at the next sweep if this fails.
      await deps.uploads.removeOfMessage(id).catch(() => {});
      return update(conv, erased);
    });
  }

  async function react(socket: ChatSocket, payload: unknown): Promise<Result> {
    const parsed = parse(ReactSchema, payload);
    const me = socket.data.user;
    const { id, message, conv } = await target(socket, parsed.id);
    if (message.deleted) throw new AckError(ErrorCodes.forbidden);
    return limited(deps.reactionLimiter, me.id, async () => {
      const reacted = await actions.react(id, me, parsed.emoji);
      if (reacted === "too_many") throw new AckError(ErrorCodes.invalid);
      if (!reacted) throw new AckError(ErrorCodes.notFound);
      return update(conv, reacted);
    });
  }

  return { edit, remove, react };
}
