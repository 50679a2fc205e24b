// The one access rule: who may read a conversation, who receives what is said in it, who may
// write to it and who may manage or moderate it. Every handler, route and push asks here.
import { ErrorCodes, GROUP_ROOM_ID, type Message, type User } from "../../common/events";
import { nicknameKey } from "../../common/names";
import type { SessionService } from "../auth/session-service";
import { AckError } from "../socket/ack";
import { roomChannel, userRoom } from "../socket/types";
import type { StoredMessage } from "../store/message-action-store";
import type { ReadStateStore } from "../store/read-store";
import type { RoomRecord, RoomStore } from "../store/room-store";
import { directConv, GROUP, roomConv, type Conversation } from "./conversation";

/** Which conversation a client means: `room` (an id, or "group"), `peer` (a nickname), or neither (the group room). */
export type Target = { room?: string; peer?: string };

/** Socket.IO rooms that receive a conversation's messages; null is everyone. */
export type Audience = string[] | null;

export class ConversationAccess {
  constructor(
    private readonly rooms: RoomStore,
    private readonly sessions: SessionService,
    private readonly reads: ReadStateStore,
  ) {}

  /**
   * The conversation `me` means, if `me` may read it. A closed room `me` is not in is
   * `not_found`, exactly like a room that does not exist; a nickname nobody holds is
   * `unknown_recipient`.
   */
  async resolve(me: User, target: Target): Promise<Conversation> {
    if (target.room !== undefined && target.peer !== undefined)
      throw new AckError(ErrorCodes.invalid);
    if (target.peer !== undefined) return directConv(me, await this.holder(target.peer));
    if (target.room === undefined || target.room === GROUP_ROOM_ID) return GROUP;
    const room = await this.rooms.get(target.room);
    if (!room || !(await this.mayReadRoom(me.id, room))) throw new AckError(ErrorCodes.notFound);
    return roomConv(room);
  }

  /** Like `resolve` for a room id: the room itself (never the group room). */
  async room(me: User, roomId: string): Promise<RoomRecord> {
    const conv = await this.resolve(me, { room: roomId });
    if (conv.kind !== "room") throw new AckError(ErrorCodes.forbidden);
    return conv.room;
  }

  /**
   * The conversation a stored message belongs to, if `me` may read it now; otherwise
   * `not_found`, the same answer as for a message that does not exist.
   */
  async ofMessage(me: User, stored: StoredMessage | null): Promise<Conversation> {
    if (!stored) throw new AckError(ErrorCodes.notFound);
    const conv = await this.fromKey(stored.conversation, stored.message, me);
    if (!conv || !(await this.mayRead(me.id, conv))) throw new AckError(ErrorCodes.notFound);
    return conv;
  }

  private async fromKey(key: string, m: Message, me: User): Promise<Conversation | null> {
    if (key === GROUP.key) return GROUP;
    if (key.startsWith("r:")) {
      const room = await this.rooms.get(key.slice(2));
      return room ? roomConv(room) : null;
    }
    if (!m.to) return null;
    const peer = m.from.id === me.id ? m.to : m.from;
    return { kind: "direct", key, peer, pair: [m.from.id, m.to.id] };
  }

  /**
   * Whether `me` may fetch a file: before it is sent, its uploader only; once sent, whoever may
   * read the conversation of `stored`, its message (a deleted message has no files).
   */
  async mayReadFile(
    me: User,
    file: { uploaderId: string; messageId: string | null },
    stored: StoredMessage | null,
  ): Promise<boolean> {
    if (file.messageId === null) return file.uploaderId === me.id;
    if (!stored || stored.message.deleted) return false;
    const conv = await this.fromKey(stored.conversation, stored.message, me);
    return conv !== null && (await this.mayRead(me.id, conv));
  }

  /**
   * The rooms `me` may read (`room:list`): every open room and the closed rooms `me` is in.
   * The store's `visibleTo` is `mayReadRoom` as one query ("open OR member"); the two must
   * say the same, and nothing but this class calls it.
   */
  listableRooms(me: User): Promise<RoomRecord[]> {
    return this.rooms.visibleTo(me.id);
  }

  /** The keys of every conversation `me` may read: what a search without a target covers. */
  async readableKeys(me: User): Promise<string[]> {
    const [rooms, directs] = await Promise.all([
      this.listableRooms(me),
      this.reads.directKeys(me.id),
    ]);
    return [GROUP.key, ...rooms.map((r) => roomConv(r).key), ...directs];
  }

  /** Editing a message: its author only. Deleting: its author, or a moderator there. */
  mayEdit(me: User, m: Message): boolean {
    return m.from.id === me.id;
  }

  mayDelete(me: User, m: Message, conv: Conversation): boolean {
    return m.from.id === me.id || this.mayModerate(me, conv);
  }

  /** Whether the user `userId` may read `conv` (mentions, and later search, files, push). */
  async mayRead(userId: string, conv: Conversation): Promise<boolean> {
    if (conv.kind === "group") return true;
    if (conv.kind === "room") return this.mayReadRoom(userId, conv.room);
    return conv.pair.includes(userId);
  }

  /**
   * Members receive a room's messages; open rooms can be read (history) by anyone. The same
   * rule as a query: the room stores' `visibleTo` (see `listableRooms`).
   */
  private async mayReadRoom(userId: string, room: RoomRecord): Promise<boolean> {
    return room.kind === "open" || this.rooms.isMember(room.id, userId);
  }

  /** Whether writing needs joining first: an open room the user is not in. */
  async mustJoinToWrite(me: User, conv: Conversation): Promise<boolean> {
    return conv.kind === "room" && !(await this.rooms.isMember(conv.room.id, me.id));
  }

  /** Renaming, re-topicking and deleting a room: its creator, or an admin. */
  mayManage(me: User, room: RoomRecord): boolean {
    return room.createdBy?.id === me.id || me.admin === true;
  }

  /** Adding others to a room: its members. */
  mayAddTo(me: User, room: RoomRecord): Promise<boolean> {
    return this.rooms.isMember(room.id, me.id);
  }

  /** Moderating others' messages: admins, in the group room and open rooms only. */
  mayModerate(me: User, conv: Conversation): boolean {
    if (me.admin !== true) return false;
    return conv.kind === "group" || (conv.kind === "room" && conv.room.kind === "open");
  }

  /** Who receives what is said in `conv` (every socket of each of them). */
  audience(conv: Conversation): Audience {
    if (conv.kind === "group") return null;
    if (conv.kind === "room") return [roomChannel(conv.room.id)];
    return conv.pair.map(userRoom);
  }

  /**
   * Who hears about the room itself (`room`, `room:removed`): everyone for an open room, which
   * anyone may read and list; the members for a closed one. The room's messages still reach
   * its members only (`audience`).
   */
  roomEventAudience(room: RoomRecord): Audience {
    return room.kind === "open" ? null : [roomChannel(room.id)];
  }

  /** The same audience as user ids (push, which cannot address sockets); null is everyone. */
  async members(conv: Conversation): Promise<string[] | null> {
    if (conv.kind === "group") return null;
    if (conv.kind === "room") return this.rooms.memberIds(conv.room.id);
    return [...conv.pair];
  }

  private async holder(name: string): Promise<User> {
    const holder = await this.sessions.holderOf(nicknameKey(name));
    if (!holder) throw new AckError(ErrorCodes.unknownRecipient);
    return holder;
  }
}
