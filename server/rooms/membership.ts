// Joining and leaving rooms: the stored membership, the read mark it starts, and the
// Socket.IO room every socket of the member is in, on every node (through the adapter).
import { GROUP_ROOM_ID, type Room } from "../../common/events";
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
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds `userId` to the room; returns the room as it is now (null if it vanished). */
  async join(room: RoomRecord, userId: string): Promise<Room | null> {
    if (await this.rooms.addMember(room.id, userId, this.now())) {
      await this.reads.start(userId, roomConversation(room.id));
    }
    this.io.in(userRoom(userId)).socketsJoin(roomChannel(room.id));
    const now = await this.rooms.get(room.id);
    if (now) this.announce(now, [userRoom(userId)]);
    return now ? toRoom(now) : null;
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
   * Tells the members (and for open rooms everyone) what the room is like now. The sockets
   * of `joiners` (user rooms of members just added) get `joined: true`, so a client knows the
   * open room it hears of is now one of its own.
   */
  announce(room: RoomRecord, joiners: string[] = []): void {
    const payload = { room: toRoom(room) };
    if (joiners.length) this.io.to(joiners).emit("room", { ...payload, joined: true });
    if (room.kind === "open") this.io.except(joiners).emit("room", payload);
    else this.io.to(roomChannel(room.id)).except(joiners).emit("room", payload);
  }

  /** Deletes the room; its members (and for open rooms everyone) are told. */
  async remove(room: RoomRecord): Promise<void> {
    const channel = roomChannel(room.id);
    if (!(await this.rooms.delete(room.id))) return;
    if (room.kind === "open") this.io.emit("room:removed", { room: room.id });
    else this.io.to(channel).emit("room:removed", { room: room.id });
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
