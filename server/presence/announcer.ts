import type { User } from "../../common/events";
import type { ChatServer } from "../socket/types";
import type { PresenceChange, PresenceTracker } from "./presence";

/**
 * Coalesces presence changes into at most one `presence` event per window. A user who
 * leaves and comes back within one window (a page reload) is not announced at all.
 */
export class PresenceAnnouncer {
  private joined = new Map<string, User>();
  private left = new Map<string, User>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: ChatServer,
    private readonly presence: PresenceTracker,
    private readonly windowMs: number,
  ) {
    presence.on("change", (change) => this.add(change));
  }

  private add({ joined, left }: PresenceChange): void {
    for (const u of joined) {
      if (!this.left.delete(u.id)) this.joined.set(u.id, u);
    }
    for (const u of left) {
      if (!this.joined.delete(u.id)) this.left.set(u.id, u);
    }
    this.timer ??= setTimeout(() => void this.flush(), this.windowMs);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const joined = [...this.joined.values()];
    const left = [...this.left.values()];
    this.joined.clear();
    this.left.clear();
    if (joined.length === 0 && left.length === 0) return;
    const { count } = await this.presence.snapshot();
    // Each node tells its own sockets: the tracker already reports cluster-wide changes.
    this.io.local.emit("presence", { count, joined, left });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
