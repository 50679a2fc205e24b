import crypto from "node:crypto";
import { ErrorCodes, GROUP_ROOM_ID, type Room, type User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import type { RateLimiter } from "../chat/rate-limiter";
import type { ConversationAccess } from "../conversations/access";
import { groupRoom, toRoom } from "../conversations/conversation";
import { AckError } from "../socket/ack";
import { limited, parse } from "../socket/handler-kit";
import type { ChatSocket } from "../socket/types";
import type { RoomStore } from "../store/room-store";
import type { RoomMembership } from "./membership";
import { RoomAddSchema, RoomCreateSchema, RoomRefSchema, RoomUpdateSchema } from "./schemas";

export type RoomDeps = {
  rooms: RoomStore;
  sessions: SessionService;
  access: ConversationAccess;
  membership: RoomMembership;
  /** Every change to rooms (create, join, leave, add, update, delete): ROOM_RATE_LIMIT a minute. */
  limiter: RateLimiter;
  /** `room:list` shares the read budget of `history` and `search`. */
  readLimiter: RateLimiter;
  /** Users online now: the group room's member count. */
  onlineCount: () => number;
  now?: () => number;
};

export function roomHandlers(deps: RoomDeps) {
  const { rooms, sessions, access, membership, limiter } = deps;
  const now = deps.now ?? Date.now;

  /** Every change to rooms shares one budget; a change that failed is refunded. */
  const limitedFor = <T>(me: User, work: () => Promise<T>) => limited(limiter, me.id, work);

  async function holder(name: string): Promise<User> {
    const user = await sessions.holderOf(nicknameKey(name));
    if (!user) throw new AckError(ErrorCodes.unknownRecipient);
    return user;
  }

  async function create(socket: ChatSocket, payload: unknown): Promise<{ room: Room }> {
    const p = parse(RoomCreateSchema, payload);
    const me = socket.data.user;
    if (p.name.key === nicknameKey(groupRoom(0).name)) throw new AckError(ErrorCodes.nameTaken);
    return limitedFor(me, async () => {
      const others = await Promise.all((p.members ?? []).map(holder));
      const memberIds = [me.id, ...others.map((u) => u.id)];
      const record = {
        id: crypto.randomBytes(9).toString("base64url"),
        name: p.name.name,
        nameKey: p.name.key,
        kind: p.kind,
        topic: p.topic ?? "",
        createdBy: { id: me.id, name: me.name, avatar: me.avatar },
        createdAt: now(),
      };
      if ((await rooms.create(record, memberIds)) === "taken") {
        throw new AckError(ErrorCodes.nameTaken);
      }
      const room = await membership.created(record.id, memberIds);
      if (!room) throw new AckError(ErrorCodes.notFound);
      return { room: toRoom(room) };
    });
  }

  async function list(socket: ChatSocket): Promise<{ rooms: Room[] }> {
    const me = socket.data.user;
    if (!(await deps.readLimiter.take(me.id))) throw new AckError(ErrorCodes.rateLimited);
    const visible = await access.listableRooms(me);
    return { rooms: [groupRoom(deps.onlineCount()), ...visible.map(toRoom)] };
  }

  async function join(socket: ChatSocket, payload: unknown): Promise<{ room: Room }> {
    const { room: id } = parse(RoomRefSchema, payload);
    const me = socket.data.user;
    if (id === GROUP_ROOM_ID) return { room: groupRoom(deps.onlineCount()) };
    const room = await access.room(me, id);
    return limitedFor(me, async () => {
      const joined = await membership.join(room, me.id);
      if (!joined) throw new AckError(ErrorCodes.notFound);
      return { room: joined };
    });
  }

  async function leave(socket: ChatSocket, payload: unknown): Promise<object> {
    const { room: id } = parse(RoomRefSchema, payload);
    const me = socket.data.user;
    if (id === GROUP_ROOM_ID) throw new AckError(ErrorCodes.invalid);
    const room = await access.room(me, id);
    return limitedFor(me, async () => {
      await membership.leave(room, me.id);
      return {};
    });
  }

  async function add(socket: ChatSocket, payload: unknown): Promise<{ room: Room }> {
    const p = parse(RoomAddSchema, payload);
    const me = socket.data.user;
    if (p.room === GROUP_ROOM_ID) throw new AckError(ErrorCodes.invalid);
    const room = await access.room(me, p.room);
    if (!(await access.mayAddTo(me, room))) throw new AckError(ErrorCodes.forbidden);
    const user = await holder(p.name);
    return limitedFor(me, async () => {
      const joined = await membership.join(room, user.id);
      if (!joined) throw new AckError(ErrorCodes.notFound);
      return { room: joined };
    });
  }

  async function update(socket: ChatSocket, payload: unknown): Promise<{ room: Room }> {
    const p = parse(RoomUpdateSchema, payload);
    const me = socket.data.user;
    const room = await access.room(me, p.room);
    if (!access.mayManage(me, room)) throw new AckError(ErrorCodes.forbidden);
    if (p.name?.key === nicknameKey(groupRoom(0).name)) throw new AckError(ErrorCodes.nameTaken);
    return limitedFor(me, async () => {
      const outcome = await rooms.update(room.id, {
        name: p.name?.name,
        nameKey: p.name?.key,
        topic: p.topic,
      });
      if (outcome === "taken") throw new AckError(ErrorCodes.nameTaken);
      const changed = await rooms.get(room.id);
      if (outcome === "missing" || !changed) throw new AckError(ErrorCodes.notFound);
      membership.announce(changed);
      return { room: toRoom(changed) };
    });
  }

  async function remove(socket: ChatSocket, payload: unknown): Promise<object> {
    const { room: id } = parse(RoomRefSchema, payload);
    const me = socket.data.user;
    const room = await access.room(me, id);
    if (!access.mayManage(me, room)) throw new AckError(ErrorCodes.forbidden);
    return limitedFor(me, async () => {
      await membership.remove(room);
      return {};
    });
  }

  return { create, list, join, leave, add, update, remove };
}
