// Joining and leaving rooms: the stored membership, the read mark it starts, and the
// Socket.IO room every socket of the member is in, on every node (through the adapter).
// Who hears of a room's changes is the access rule's (`roomEventAudience`), not decided here.
import { GROUP_ROOM_ID, type Room } from "../../common/events";
import type { ConversationAccess } from "../conversations/access";
import { toRoom } from "../conversations/conversation";
import type { ChatServer } from "../socket/types";
import { roomChannel, userRoom } from "../socket/types";
import type { ReadStateStore } from "../store/read-store";
import { roomConversation, type RoomRecord, type RoomStore } from "../store/room-store";

export class RoomMembership {
  constructor(
    private readonly io: ChatServer,
    private readonly rooms: RoomStore,
    private readonly reads: ReadStateStore,
    private readonly access: ConversationAccess,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds `userId` to the room; returns the room as it is now (null if it vanished). */
  async join(room: RoomRecord, userId: string): Promise<Room | null> {
    const added = await this.rooms.addMember(room.id, userId, this.now());
    await this.enter(room.id, userId, added);
    const now = await this.rooms.get(room.id);
    if (now) this.announce(now, [userRoom(userId)]);
    return now ? toRoom(now) : null;
  }

  /**
   * A room just stored with its first members (`RoomStore.create`): their read marks start,
   * their sockets join, everyone who may hear of it is told. Null if it vanished meanwhile.
   */
  async created(roomId: string, memberIds: string[]): Promise<RoomRecord | null> {
    const ids = [...new Set(memberIds)];
    for (const id of ids) await this.enter(roomId, id, true);
    const room = await this.rooms.get(roomId);
    if (room) this.announce(room, ids.map(userRoom));
    return room;
  }

  /** A member's read mark starts when it is new; its sockets join the room on every node. */
  private async enter(roomId: string, userId: string, isNew: boolean): Promise<void> {
    if (isNew) await this.reads.start(userId, roomConversation(roomId));
    this.io.in(userRoom(userId)).socketsJoin(roomChannel(roomId));
  }

  /** Removes `userId`; its sockets leave the room and are told. */
  async leave(room: RoomRecord, userId: string): Promise<void> {
    await this.rooms.removeMember(room.id, userId);
    this.io.in(userRoom(userId)).socketsLeave(roomChannel(room.id));
    this.io.to(userRoom(userId)).emit("room:removed", { room: room.id });
    const now = await this.rooms.get(room.id);
    if (now) this.announce(now);
  }

  /**
   * Tells whoever may hear of the room what it is like now. The sockets of `joiners` (user
   * rooms of members just added) get `joined: true`, so a client knows the open room it
   * hears of is now one of its own.
   */
  announce(room: RoomRecord, joiners: string[] = []): void {
    const payload = { room: toRoom(room) };
    if (joiners.length) this.io.to(joiners).emit("room", { ...payload, joined: true });
    const audience = this.access.roomEventAudience(room);
    if (audience) this.io.to(audience).except(joiners).emit("room", payload);
    else this.io.except(joiners).emit("room", payload);
  }

  /** Deletes the room; whoever may hear of it is told. */
  async remove(room: RoomRecord): Promise<void> {
    const channel = roomChannel(room.id);
    // Asked before the delete: a closed room's audience is its channel, emptied below.
    const audience = this.access.roomEventAudience(room);
    if (!(await this.rooms.delete(room.id))) return;
    if (audience) this.io.to(audience).emit("room:removed", { room: room.id });
    else this.io.emit("room:removed", { room: room.id });
    this.io.in(channel).socketsLeave(channel);
  }

  /** A user gone for good: out of every room; closed rooms left empty are deleted. */
  async forget(userId: string): Promise<void> {
    const { left, deleted } = await this.rooms.forgetUser(userId);
    await this.reads.forgetUser(userId);
    for (const id of left) {
      if (id === GROUP_ROOM_ID || deleted.includes(id)) continue;
      const room = await this.rooms.get(id);
      if (room) this.announce(room);
    }
  }
}
