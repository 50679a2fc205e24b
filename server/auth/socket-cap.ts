import { LIMITS } from "../../common/events";
import { userRoom, type ChatServer } from "../socket/types";

const COUNT_TIMEOUT_MS = 2000;

/**
 * At most LIMITS.socketsPerUser sockets per user, counted on every node through the adapter
 * (`fetchSockets` of the user's room). Handshakes still in flight on this node are counted
 * too, so a burst of parallel connects cannot slip past the count. If another node does not
 * answer in time, this node's own count decides (an outage never locks users out).
 */
export class SocketCap {
  private readonly pending = new Map<string, number>();

  constructor(
    private readonly io: ChatServer,
    private readonly limit: number = LIMITS.socketsPerUser,
  ) {}

  private async connected(userId: string): Promise<number> {
    try {
      return (await this.io.timeout(COUNT_TIMEOUT_MS).in(userRoom(userId)).fetchSockets()).length;
    } catch {
      return this.io.of("/").adapter.rooms.get(userRoom(userId))?.size ?? 0;
    }
  }

  /**
   * Reserves a place for a new socket of `userId`; false when the user has all its sockets.
   * A granted place must be released once the socket joined its rooms (or failed).
   */
  async reserve(userId: string): Promise<boolean> {
    this.pending.set(userId, (this.pending.get(userId) ?? 0) + 1);
    const total = (await this.connected(userId)) + (this.pending.get(userId) ?? 1) - 1;
    if (total < this.limit) return true;
    this.release(userId);
    return false;
  }

  release(userId: string): void {
    const left = (this.pending.get(userId) ?? 1) - 1;
    if (left > 0) this.pending.set(userId, left);
    else this.pending.delete(userId);
  }
}
