import type { ChatServer, ChatSocket } from "../socket/types";
import type { PresenceTracker } from "./presence";

/**
 * Sends each new socket its `online` snapshot. Sockets that connect within one short window
 * share one snapshot, sent as one broadcast to their ids: encoded once and kept once for
 * connection state recovery. During a connect storm every socket would otherwise serialize
 * (and the recovery buffer keep) the whole user list again: O(users²).
 */
export class OnlineSnapshots {
  private waiting: ChatSocket[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastCount = 0;

  constructor(
    private readonly io: ChatServer,
    private readonly presence: PresenceTracker,
    private readonly onError: (err: unknown) => void,
    private readonly windowMs = 15,
  ) {}

  send(socket: ChatSocket): void {
    this.waiting.push(socket);
    // The bigger the list, the more sockets should share one encoding (at most 100 ms).
    const window = Math.min(100, this.windowMs + this.lastCount / 100);
    this.timer ??= setTimeout(() => this.flush().catch(this.onError), window);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const ids = this.waiting.filter((s) => s.connected).map((s) => s.id);
    this.waiting = [];
    if (ids.length === 0) return;
    const snapshot = await this.presence.snapshot();
    this.lastCount = snapshot.count;
    this.io.local.to(ids).emit("online", snapshot);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
