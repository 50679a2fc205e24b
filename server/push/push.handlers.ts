import type { ConversationAccess } from "../conversations/access";
import type { RateLimiter } from "../chat/rate-limiter";
import { limited, parse } from "../socket/handler-kit";
import type { ChatSocket } from "../socket/types";
import type { PushStore } from "../store/push-store";
import { NotifySchema, type NotifyInput } from "./schemas";

export type PushHandlerDeps = {
  store: PushStore;
  access: ConversationAccess;
  /** Level changes share the room-changes budget: both are settings of a conversation. */
  limiter: RateLimiter;
};

export function pushHandlers(deps: PushHandlerDeps) {
  /** `notify`: the caller's level in a conversation it may read (`not_found` otherwise). */
  async function notify(socket: ChatSocket, payload: unknown): Promise<object> {
    const input = parse<NotifyInput>(NotifySchema, payload);
    const me = socket.data.user;
    const conv = await deps.access.resolve(me, { room: input.room, peer: input.with });
    await limited(deps.limiter, me.id, () => deps.store.setLevel(me.id, conv.key, input.level));
    return {};
  }

  return { notify };
}
