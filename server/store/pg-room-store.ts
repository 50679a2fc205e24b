import type { Pool, PoolClient } from "pg";
import type { User } from "../../common/events";
import { inTransaction } from "./pg-transaction";
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

/** Rooms in PostgreSQL (the pool of the PgStore), shared by every node. */
export class PgRoomStore implements RoomStore {
  constructor(private readonly pool: Pool) {}

  create(room: NewRoom, memberIds: string[]): Promise<"created" | "taken"> {
    return inTransaction(this.pool, async (client) => {
      const inserted = await client.query(
        `INSERT INTO rooms (${ROOM_INSERT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
        roomInsertValues(room),
      );
      if (inserted.rowCount !== 1) return "taken";
      await client.query(
        `INSERT INTO room_members (room_id, user_id, joined_at)
         SELECT $1, u, $3 FROM unnest($2::text[]) AS u ON CONFLICT DO NOTHING`,
        [room.id, [...new Set(memberIds)], room.createdAt],
      );
      return "created";
    });
  }

  private async rooms(where: string, params: unknown[]): Promise<RoomRecord[]> {
    const { rows } = await this.pool.query<RoomRow>(`${ROOM_SELECT} ${where}`, params);
    return rows.map(roomFromRow);
  }

  async get(id: string): Promise<RoomRecord | null> {
    return (await this.rooms("WHERE r.id = $1", [id]))[0] ?? null;
  }

  // ConversationAccess.mayReadRoom as a query ("open OR member"), used only through
  // ConversationAccess.listableRooms: change both together.
  visibleTo(userId: string): Promise<RoomRecord[]> {
    return this.rooms(
      `WHERE r.kind = 'open' OR r.id IN (SELECT room_id FROM room_members WHERE user_id = $1)
       ORDER BY r.name_key`,
      [userId],
    );
  }

  memberOf(userId: string): Promise<RoomRecord[]> {
    return this.rooms(
      `WHERE r.id IN (SELECT room_id FROM room_members WHERE user_id = $1) ORDER BY r.name_key`,
      [userId],
    );
  }

  async isMember(roomId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "SELECT 1 FROM room_members WHERE room_id = $1 AND user_id = $2",
      [roomId, userId],
    );
    return (rowCount ?? 0) > 0;
  }

  async memberIds(roomId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      "SELECT user_id FROM room_members WHERE room_id = $1",
      [roomId],
    );
    return rows.map((r) => r.user_id);
  }

  async members(roomId: string): Promise<User[]> {
    const { rows } = await this.pool.query<User>(
      `SELECT u.id, u.name, u.avatar FROM room_members m JOIN users u ON u.id = m.user_id
         WHERE m.room_id = $1`,
      [roomId],
    );
    return rows;
  }

  async addMember(roomId: string, userId: string, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO room_members (room_id, user_id, joined_at) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [roomId, userId, now],
    );
    return (rowCount ?? 0) > 0;
  }

  async removeMember(roomId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      "DELETE FROM room_members WHERE room_id = $1 AND user_id = $2",
      [roomId, userId],
    );
    return (rowCount ?? 0) > 0;
  }

  async update(id: string, c: RoomChanges): Promise<"updated" | "taken" | "missing"> {
    try {
      const { rowCount } = await this.pool.query(
        `UPDATE rooms SET name = COALESCE($1, name), name_key = COALESCE($2, name_key),
           topic = COALESCE($3, topic) WHERE id = $4`,
        [c.name ?? null, c.nameKey ?? null, c.topic ?? null, id],
      );
      return (rowCount ?? 0) > 0 ? "updated" : "missing";
    } catch (error) {
      if ((error as { code?: string }).code === "23505") return "taken"; // unique_violation
      throw error;
    }
  }

  delete(id: string): Promise<boolean> {
    return inTransaction(this.pool, (client) => deleteRoom(client, id));
  }

  forgetUser(userId: string): Promise<{ left: string[]; deleted: string[] }> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ room_id: string }>(
        "DELETE FROM room_members WHERE user_id = $1 RETURNING room_id",
        [userId],
      );
      const left = rows.map((r) => r.room_id);
      const empty = await client.query<{ id: string }>(
        `SELECT id FROM rooms WHERE kind = 'closed' AND id = ANY($1)
           AND NOT EXISTS (SELECT 1 FROM room_members WHERE room_id = rooms.id)`,
        [left],
      );
      for (const { id } of empty.rows) await deleteRoom(client, id);
      return { left, deleted: empty.rows.map((r) => r.id) };
    });
  }
}

async function deleteRoom(client: PoolClient, id: string): Promise<boolean> {
  const conversation = roomConversation(id);
  for (const table of ["messages", "message_mentions", "read_state"]) {
    await client.query(`DELETE FROM ${table} WHERE conversation = $1`, [conversation]);
  }
  await client.query("DELETE FROM room_members WHERE room_id = $1", [id]);
  const { rowCount } = await client.query("DELETE FROM rooms WHERE id = $1", [id]);
  return (rowCount ?? 0) > 0;
}
