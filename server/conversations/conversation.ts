// One model for everything people talk in: the group room, open and closed rooms, and private
// pairs. Handlers never reason about kinds themselves; they ask the access rule (access.ts).
import { GROUP_ROOM_ID, type NotifyLevel, type Room, type User } from "../../common/events";
import { roomConversation, type RoomRecord } from "../store/room-store";
import { GROUP_CONVERSATION, privateConversation } from "../store/types";

export type Conversation =
  | { kind: "group"; key: string }
  | { kind: "room"; key: string; room: RoomRecord }
  | { kind: "direct"; key: string; peer: User; pair: readonly [string, string] };

export const GROUP: Conversation = { kind: "group", key: GROUP_CONVERSATION };

export function roomConv(room: RoomRecord): Conversation {
  return { kind: "room", key: roomConversation(room.id), room };
}

/** The private conversation of `me` with `peer`, keyed by both user ids. */
export function directConv(me: User, peer: User): Conversation {
  return { kind: "direct", key: privateConversation(me.id, peer.id), peer, pair: [me.id, peer.id] };
}

/** A room as the wire shows it. */
export function toRoom(room: RoomRecord): Room {
  const { id, name, kind, topic, createdBy, members } = room;
  return { id, name, kind, topic, createdBy, members };
}

/** The group room, which everyone is in: `members` is the number of users online. */
export function groupRoom(members: number): Room {
  return { id: GROUP_ROOM_ID, name: "Group", kind: "open", topic: "", createdBy: null, members };
}

/** The contract's default notification level (per-user levels come with push). */
export function defaultLevel(conv: Conversation): NotifyLevel {
  if (conv.kind === "direct") return "all";
  if (conv.kind === "room" && conv.room.kind === "closed") return "all";
  return "mentions";
}
