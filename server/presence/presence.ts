import { EventEmitter } from "node:events";
import type { OnlinePayload, User } from "../../common/events";

/** Users that came or went, and the online count right after. */
export type PresenceChange = { joined: User[]; left: User[]; count: number };

/**
 * Who is online: distinct users with at least one connected socket.
 * Emits "change" with users that came or went, for this node to announce to its sockets.
 */
export interface PresenceTracker extends EventEmitter<{ change: [PresenceChange] }> {
  connect(user: User): Promise<void>;
  disconnect(user: User): Promise<void>;
  /** (v3) An online user's `User` changed (its picture): later snapshots list the new one. */
  update(user: User): Promise<void>;
  snapshot(): Promise<OnlinePayload>;
  /** Which of these users have a connected socket on any node. */
  onlineAmong(userIds: string[]): Promise<Set<string>>;
  /** Users with a socket on this node (their sessions are kept alive by this node). */
  localUserIds(): string[];
  close(): Promise<void>;
}

/** Single-node presence: socket counts per user in memory. */
export class MemoryPresence
  extends EventEmitter<{ change: [PresenceChange] }>
  implements PresenceTracker
{
  private readonly users = new Map<string, { user: User; sockets: number }>();

  async connect(user: User): Promise<void> {
    const entry = this.users.get(user.id);
    if (entry) {
      entry.sockets++;
      return;
    }
    this.users.set(user.id, { user, sockets: 1 });
    this.emit("change", { joined: [user], left: [], count: this.users.size });
  }

  async disconnect(user: User): Promise<void> {
    const entry = this.users.get(user.id);
    if (!entry) return;
    if (--entry.sockets > 0) return;
    this.users.delete(user.id);
    this.emit("change", { joined: [], left: [entry.user], count: this.users.size });
  }

  async update(user: User): Promise<void> {
    const entry = this.users.get(user.id);
    if (entry) entry.user = user;
  }

  async snapshot(): Promise<OnlinePayload> {
    const users = [...this.users.values()].map((e) => e.user);
    return { count: users.length, users };
  }

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.users.has(id)));
  }

  localUserIds(): string[] {
    return [...this.users.keys()];
  }

  async close(): Promise<void> {}
}
