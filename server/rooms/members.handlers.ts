// `room:members` (an extension the contract is silent on): who is in a conversation, for the
// browser's "@" autocomplete. The group room's members are the users online; a room's, its
// members. Whoever may not read the room learns nothing about it (`not_found`).
import { z } from "zod";
import { ErrorCodes, type User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { RateLimiter } from "../chat/rate-limiter";
import { roomId } from "../chat/schemas";
import type { ConversationAccess } from "../conversations/access";
import type { PresenceTracker } from "../presence/presence";
import { AckError } from "../socket/ack";
import { parse } from "../socket/handler-kit";
import type { ChatSocket } from "../socket/types";
import type { RoomStore } from "../store/room-store";

export const RoomMembersSchema = z.object({ room: roomId });

/** Nicknames compared like nicknames (NFKC + case folding), then as written: one order everywhere. */
function byNickname(a: User, b: User): number {
  const [ka, kb] = [nicknameKey(a.name), nicknameKey(b.name)];
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function membersHandlers(deps: {
  rooms: RoomStore;
  presence: PresenceTracker;
  access: ConversationAccess;
  /** History, search and member lists share READ_RATE_LIMIT a second per user. */
  limiter: RateLimiter;
}) {
  async function members(socket: ChatSocket, payload: unknown): Promise<{ members: User[] }> {
    const p = parse(RoomMembersSchema, payload);
    const me = socket.data.user;
    if (!(await deps.limiter.take(me.id))) throw new AckError(ErrorCodes.rateLimited);
    const conv = await deps.access.resolve(me, { room: p.room });
    const users =
      conv.kind === "room"
        ? await deps.rooms.members(conv.room.id)
        : (await deps.presence.snapshot()).users;
    // Like `Message.mentions`: who is there, without the admin flag.
    const plain = users.map(({ id, name, avatar }) => ({ id, name, avatar }));
    return { members: plain.sort(byNickname) };
  }

  return { members };
}
