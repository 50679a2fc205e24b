// Who "@" offers in the conversation on screen: in a room its members (asked with
// `room:members` when the room opens, and again when a `room` event says it changed), in the
// group the users online, in a private conversation the peer. Never yourself.
import type { User } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import type { Conversation } from "./conversation";

export class MentionPeople {
  /** Room id → its members, as last answered. */
  private readonly members = new Map<string, User[]>();
  /** Room id → the number of the newest question, so an older answer never wins. */
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly socket: ChatSocket,
    private readonly me: User,
    private readonly online: () => User[],
  ) {}

  /** Asks the server who is in the room now (on opening it, and when it changed). */
  async load(roomId: string): Promise<void> {
    const n = (this.asked.get(roomId) ?? 0) + 1;
    this.asked.set(roomId, n);
    const ack = await request<{ members: User[] }>(this.socket, "room:members", { room: roomId });
    if (ack?.ok && this.asked.get(roomId) === n) this.members.set(roomId, ack.members);
  }

  /** The room is gone, or the user left it. */
  forget(roomId: string): void {
    this.members.delete(roomId);
    this.asked.delete(roomId);
  }

  /** The people who can be mentioned in `conv`. */
  of(conv: Conversation): User[] {
    if (conv.peer) return conv.peer.id === this.me.id ? [] : [conv.peer];
    const roomId = conv.roomId;
    const people = roomId ? (this.members.get(roomId) ?? []) : this.online();
    return people.filter((u) => u.id !== this.me.id);
  }
}
