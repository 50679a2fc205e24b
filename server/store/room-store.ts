import type { RoomKind, User } from "../../common/events";

/** A room other than the group room, as stored. */
export type RoomRecord = {
  id: string;
  name: string;
  /** `name` compared like nicknames: unique among rooms. */
  nameKey: string;
  kind: RoomKind;
  topic: string;
  createdBy: User | null;
  createdAt: number;
  /** Members now. */
  members: number;
};

export type NewRoom = Omit<RoomRecord, "members">;
export type RoomChanges = { name?: string; nameKey?: string; topic?: string };

/** The conversation key a room's messages and read state are stored under. */
export function roomConversation(roomId: string): string {
  return `r:${roomId}`;
}

/**
 * Rooms and who is in them. Membership belongs to a user id, so every socket and device of
 * the user is in or out together. Implementations: SQLite and PostgreSQL.
 */
export interface RoomStore {
  /** Creates the room with its first members; "taken" when the name is in use. */
  create(room: NewRoom, memberIds: string[]): Promise<"created" | "taken">;
  get(id: string): Promise<RoomRecord | null>;
  /**
   * Every open room, and the closed rooms `userId` is in; by name. The access rule as a query:
   * call it through ConversationAccess.listableRooms only.
   */
  visibleTo(userId: string): Promise<RoomRecord[]>;
  /** The rooms `userId` is a member of; by name. */
  memberOf(userId: string): Promise<RoomRecord[]>;
  isMember(roomId: string, userId: string): Promise<boolean>;
  memberIds(roomId: string): Promise<string[]>;
  /** The members as users are now (id, nickname, avatar; no admin flag), in no set order. */
  members(roomId: string): Promise<User[]>;
  /** True when the user was not a member before. */
  addMember(roomId: string, userId: string, now: number): Promise<boolean>;
  /** True when the user was a member. */
  removeMember(roomId: string, userId: string): Promise<boolean>;
  update(id: string, changes: RoomChanges): Promise<"updated" | "taken" | "missing">;
  /** Deletes the room with its messages, mentions and read state; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /**
   * A user is gone for good (its last session ended): drops its memberships and deletes the
   * closed rooms nobody is left in. Returns the ids of the rooms it was in.
   */
  forgetUser(userId: string): Promise<{ left: string[]; deleted: string[] }>;
}
