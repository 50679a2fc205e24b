import type { User } from "../../common/events";
import type { ChatServer } from "../socket/types";
import type { PresenceChange, PresenceTracker } from "./presence";

/**
 * Coalesces presence changes into at most one `presence` event per window (250 ms, growing
 * to 1 s from 1,000 users on). A user who
 * leaves and comes back within one window (a page reload) is not announced at all; one who
 * comes and goes is announced joining, then leaving, so listeners never miss either.
 */
export class PresenceAnnouncer {
  private readonly joined = new Map<string, User>();
  private readonly left = new Map<string, User>();
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: ChatServer,
    presence: PresenceTracker,
    private readonly windowMs: number,
  ) {
    presence.on("change", (change) => this.add(change));
  }

  private add({ joined, left, count }: PresenceChange): void {
    if (left.some((u) => this.joined.has(u.id))) this.flush();
    for (const u of joined) {
      if (!this.left.delete(u.id)) this.joined.set(u.id, u);
    }
    for (const u of left) this.left.set(u.id, u);
    this.count = count;
    // Every announcement goes to every socket: with many users, announce less often (≥ 1/s).
    const stretch = Math.min(4, Math.max(1, count / 250));
    this.timer ??= setTimeout(() => this.flush(), this.windowMs * stretch);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.joined.size === 0 && this.left.size === 0) return;
    const payload = {
      count: this.count,
      joined: [...this.joined.values()],
      left: [...this.left.values()],
    };
    this.joined.clear();
    this.left.clear();
    // Each node tells its own sockets: the tracker already reports cluster-wide changes.
    this.io.local.emit("presence", payload);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
