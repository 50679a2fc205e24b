// What the chat should be, in a few maps: who is logged in, which rooms exist and who is in
// them, every accepted message as it is now, and each user's read marks. The commands
// (commands.ts) predict every answer from it and compare the server with it after each step.
import { GROUP_ROOM_ID } from "../../common/events";

/** A conversation's key: "group", "room:<id>", or "dm:<id>|<id>" (sorted user ids). */
export type ConvKey = string;

export type ModelUser = { id: string; name: string; admin: boolean; sessions: string[] };
export type ModelRoom = {
  id: string;
  name: string;
  kind: "open" | "closed";
  members: Set<string>;
  deleted: boolean;
};
export type ModelMessage = {
  id: string;
  conv: ConvKey;
  fromId: string;
  content: string;
  edited: boolean;
  deleted: boolean;
  /** emoji → user ids, in order of first use. */
  reactions: Map<string, string[]>;
};

export const GROUP: ConvKey = GROUP_ROOM_ID;
export const roomKey = (id: string): ConvKey => `room:${id}`;
export const dmKey = (a: string, b: string): ConvKey => `dm:${[a, b].sort().join("|")}`;

export class ChatModel {
  /** The user logged in through each slot (4 slots), if any. */
  readonly users: (ModelUser | undefined)[] = [undefined, undefined, undefined, undefined];
  readonly rooms: ModelRoom[] = [];
  readonly messages: ModelMessage[] = [];
  /** `userId|conv` → the last read message id. */
  readonly marks = new Map<string, string>();
  /** userId → cid → message id. */
  readonly cids = new Map<string, Map<string, string>>();
  /** Connected sockets per user id (the auditor, always online, is counted apart). */
  readonly sockets = new Map<string, number>();

  live(): ModelUser[] {
    return this.users.filter((u): u is ModelUser => u !== undefined);
  }

  holderOf(name: string): ModelUser | undefined {
    return this.live().find((u) => u.name === name);
  }

  /** Distinct users with a connected socket, the auditor included. */
  onlineCount(): number {
    return 1 + [...this.sockets.values()].filter((n) => n > 0).length;
  }

  room(id: string): ModelRoom | undefined {
    return this.rooms.find((r) => r.id === id && !r.deleted);
  }

  /** Who may read a conversation (open rooms: anyone; closed: members; private: the two). */
  mayRead(userId: string, conv: ConvKey): boolean {
    if (conv === GROUP) return true;
    if (conv.startsWith("dm:")) return conv.slice(3).split("|").includes(userId);
    const room = this.room(conv.slice(5));
    return room !== undefined && (room.kind === "open" || room.members.has(userId));
  }

  /** Who receives a conversation's messages: null is everyone. */
  audience(conv: ConvKey): string[] | null {
    if (conv === GROUP) return null;
    if (conv.startsWith("dm:")) return conv.slice(3).split("|");
    return [...(this.room(conv.slice(5))?.members ?? [])];
  }

  messagesIn(conv: ConvKey): ModelMessage[] {
    return this.messages.filter((m) => m.conv === conv);
  }

  newest(conv: ConvKey): string | undefined {
    return this.messagesIn(conv).at(-1)?.id;
  }

  /** Starts a read mark at the newest message unless there is one (join, first snapshot). */
  startMark(userId: string, conv: ConvKey): void {
    const key = `${userId}|${conv}`;
    if (!this.marks.has(key)) this.marks.set(key, this.newest(conv) ?? "0");
  }

  /** `read`: the last message at or before `id`, never moving back. */
  markRead(userId: string, conv: ConvKey, id: string): void {
    const key = `${userId}|${conv}`;
    const at =
      this.messagesIn(conv)
        .filter((m) => m.id <= id.padStart(16, "0"))
        .at(-1)?.id ?? "0";
    const old = this.marks.get(key) ?? "0";
    this.marks.set(key, BigInt(at) > BigInt(old) ? at : old);
  }

  unread(userId: string, conv: ConvKey): number {
    const mark = BigInt(this.marks.get(`${userId}|${conv}`) ?? "0");
    return this.messagesIn(conv).filter((m) => BigInt(m.id) > mark && m.fromId !== userId).length;
  }

  join(room: ModelRoom, userId: string): void {
    if (!room.members.has(userId)) this.startMark(userId, roomKey(room.id));
    room.members.add(userId);
  }

  /** A user's last session ended: it leaves every room; empty closed rooms go with their messages. */
  forget(user: ModelUser): void {
    const slot = this.users.indexOf(user);
    this.users[slot] = undefined;
    this.sockets.delete(user.id);
    this.cids.delete(user.id);
    for (const key of [...this.marks.keys()])
      if (key.startsWith(`${user.id}|`)) this.marks.delete(key);
    for (const room of this.rooms) {
      if (!room.members.delete(user.id)) continue;
      if (room.kind === "closed" && room.members.size === 0) this.deleteRoom(room);
    }
  }

  deleteRoom(room: ModelRoom): void {
    room.deleted = true;
    const conv = roomKey(room.id);
    this.messages.splice(0, this.messages.length, ...this.messages.filter((m) => m.conv !== conv));
    for (const key of [...this.marks.keys()]) if (key.endsWith(`|${conv}`)) this.marks.delete(key);
  }

  /** Private conversations of `userId` with users who still hold their nicknames. */
  directs(userId: string): { peerId: string; conv: ConvKey }[] {
    return this.live()
      .filter((peer) => peer.id !== userId)
      .map((peer) => ({ peerId: peer.id, conv: dmKey(userId, peer.id) }))
      .filter((d) => this.messagesIn(d.conv).length > 0);
  }
}
