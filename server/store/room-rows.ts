// Row <-> record conversions for rooms, shared by the SQL backends.
import type { RoomKind } from "../../common/events";
import type { NewRoom, RoomRecord } from "./room-store";

/** The columns of a new room, in the order both backends' INSERT lists them. */
export const ROOM_INSERT_COLUMNS =
  "id, name, name_key, kind, topic, created_by_id, created_by_name, created_by_avatar, created_at";

export function roomInsertValues(room: NewRoom): (string | number | null)[] {
  const c = room.createdBy;
  return [
    room.id,
    room.name,
    room.nameKey,
    room.kind,
    room.topic,
    c?.id ?? null,
    c?.name ?? null,
    c?.avatar ?? null,
    room.createdAt,
  ];
}

/** Selects a room with its member count; append `WHERE …`. */
export const ROOM_SELECT = `
  SELECT r.id, r.name, r.name_key, r.kind, r.topic, r.created_by_id, r.created_by_name,
         r.created_by_avatar, r.created_at,
         (SELECT COUNT(*) FROM room_members m WHERE m.room_id = r.id) AS members
  FROM rooms r`;

export type RoomRow = {
  id: string;
  name: string;
  name_key: string;
  kind: RoomKind;
  topic: string;
  created_by_id: string | null;
  created_by_name: string | null;
  created_by_avatar: string | null;
  created_at: number | string;
  members: number | string;
};

export function roomFromRow(row: RoomRow): RoomRecord {
  return {
    id: row.id,
    name: row.name,
    nameKey: row.name_key,
    kind: row.kind,
    topic: row.topic,
    createdBy:
      row.created_by_id !== null && row.created_by_name !== null && row.created_by_avatar !== null
        ? { id: row.created_by_id, name: row.created_by_name, avatar: row.created_by_avatar }
        : null,
    createdAt: Number(row.created_at),
    members: Number(row.members),
  };
}
