import type Database from "better-sqlite3";
import type { User } from "../../common/events";
import {
  ROOM_INSERT_COLUMNS,
  ROOM_SELECT,
  roomFromRow,
  roomInsertValues,
  type RoomRow,
} from "./room-rows";
import {
  roomConversation,
  type NewRoom,
  type RoomChanges,
  type RoomRecord,
  type RoomStore,
} from "./room-store";

/** Rooms in the embedded database (the handle of the SqliteStore). */
export class SqliteRoomStore implements RoomStore {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO rooms (${ROOM_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`${ROOM_SELECT} WHERE r.id = ?`),
      // ConversationAccess.mayReadRoom as a query ("open OR member"), used only through
      // ConversationAccess.listableRooms: change both together.
      visible: db.prepare(
        `${ROOM_SELECT} WHERE r.kind = 'open'
           OR r.id IN (SELECT room_id FROM room_members WHERE user_id = ?) ORDER BY r.name_key`,
      ),
      memberOf: db.prepare(
        `${ROOM_SELECT} WHERE r.id IN (SELECT room_id FROM room_members WHERE user_id = ?) ORDER BY r.name_key`,
      ),
      isMember: db.prepare(`SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?`),
      memberIds: db.prepare(`SELECT user_id FROM room_members WHERE room_id = ?`),
      members: db.prepare(
        `SELECT u.id, u.name, u.avatar FROM room_members m JOIN users u ON u.id = m.user_id
           WHERE m.room_id = ?`,
      ),
      addMember: db.prepare(
        `INSERT OR IGNORE INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)`,
      ),
      removeMember: db.prepare(`DELETE FROM room_members WHERE room_id = ? AND user_id = ?`),
      nameTaken: db.prepare(`SELECT 1 FROM rooms WHERE name_key = ? AND id <> ?`),
      update: db.prepare(
        `UPDATE rooms SET name = COALESCE(?, name), name_key = COALESCE(?, name_key),
           topic = COALESCE(?, topic) WHERE id = ?`,
      ),
      deleteRoom: db.prepare(`DELETE FROM rooms WHERE id = ?`),
      deleteMembers: db.prepare(`DELETE FROM room_members WHERE room_id = ?`),
      deleteMessages: db.prepare(`DELETE FROM messages WHERE conversation = ?`),
      deleteMentions: db.prepare(`DELETE FROM message_mentions WHERE conversation = ?`),
      deleteReads: db.prepare(`DELETE FROM read_state WHERE conversation = ?`),
      roomsOfUser: db.prepare(`SELECT room_id FROM room_members WHERE user_id = ?`),
      leaveAll: db.prepare(`DELETE FROM room_members WHERE user_id = ?`),
      emptyClosed: db.prepare(
        `SELECT id FROM rooms WHERE kind = 'closed' AND id IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM room_members WHERE room_id = rooms.id)`,
      ),
    };
  }

  async create(room: NewRoom, memberIds: string[]): Promise<"created" | "taken"> {
    return this.db.transaction(() => {
      const info = this.s.insert.run(...roomInsertValues(room));
      if (info.changes === 0) return "taken";
      for (const id of new Set(memberIds)) this.s.addMember.run(room.id, id, room.createdAt);
      return "created";
    })();
  }

  async get(id: string): Promise<RoomRecord | null> {
    const row = this.s.get.get(id) as RoomRow | undefined;
    return row ? roomFromRow(row) : null;
  }

  async visibleTo(userId: string): Promise<RoomRecord[]> {
    return (this.s.visible.all(userId) as RoomRow[]).map(roomFromRow);
  }

  async memberOf(userId: string): Promise<RoomRecord[]> {
    return (this.s.memberOf.all(userId) as RoomRow[]).map(roomFromRow);
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    return this.s.isMember.get(roomId, userId) !== undefined;
  }

  async memberIds(roomId: string): Promise<string[]> {
    return (this.s.memberIds.all(roomId) as { user_id: string }[]).map((r) => r.user_id);
  }

  async members(roomId: string): Promise<User[]> {
    return this.s.members.all(roomId) as User[];
  }

  async addMember(roomId: string, userId: string, now: number): Promise<boolean> {
    return this.s.addMember.run(roomId, userId, now).changes > 0;
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    return this.s.removeMember.run(roomId, userId).changes > 0;
  }

  async update(id: string, c: RoomChanges): Promise<"updated" | "taken" | "missing"> {
    return this.db.transaction(() => {
      if (c.nameKey !== undefined && this.s.nameTaken.get(c.nameKey, id)) return "taken";
      const info = this.s.update.run(c.name ?? null, c.nameKey ?? null, c.topic ?? null, id);
      return info.changes > 0 ? "updated" : "missing";
    })();
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(() => this.deleteNow(id))();
  }

  private deleteNow(id: string): boolean {
    const conversation = roomConversation(id);
    this.s.deleteMessages.run(conversation);
    this.s.deleteMentions.run(conversation);
    this.s.deleteReads.run(conversation);
    this.s.deleteMembers.run(id);
    return this.s.deleteRoom.run(id).changes > 0;
  }

  async forgetUser(userId: string): Promise<{ left: string[]; deleted: string[] }> {
    return this.db.transaction(() => {
      const left = (this.s.roomsOfUser.all(userId) as { room_id: string }[]).map((r) => r.room_id);
      this.s.leaveAll.run(userId);
      const empty = this.s.emptyClosed.all(JSON.stringify(left)) as { id: string }[];
      for (const { id } of empty) this.deleteNow(id);
      return { left, deleted: empty.map((r) => r.id) };
    })();
  }
}
