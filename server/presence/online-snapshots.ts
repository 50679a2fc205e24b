import type { ChatServer, ChatSocket } from "../socket/types";
import type { PresenceTracker } from "./presence";

type Then = (count: number) => Promise<unknown>;

/**
 * Sends each new socket its `online` snapshot. Sockets that connect within one short window
 * share one snapshot, sent as one broadcast to their ids: encoded once and kept once for
 * connection state recovery. During a connect storm every socket would otherwise serialize
 * (and the recovery buffer keep) the whole user list again: O(users²).
 */
export class OnlineSnapshots {
  private waiting: { socket: ChatSocket; then?: Then }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastCount = 0;

  constructor(
    private readonly io: ChatServer,
    private readonly presence: PresenceTracker,
    private readonly onError: (err: unknown) => void,
    private readonly windowMs = 15,
  ) {}

  /** Queues the socket's `online`; `then` runs right after it is sent, with the count. */
  send(socket: ChatSocket, then?: Then): void {
    this.waiting.push({ socket, then });
    // The bigger the list, the more sockets should share one encoding (at most 100 ms).
    const window = Math.min(100, this.windowMs + this.lastCount / 100);
    this.timer ??= setTimeout(() => this.flush().catch(this.onError), window);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const waiting = this.waiting.filter((w) => w.socket.connected);
    this.waiting = [];
    if (waiting.length === 0) return;
    const snapshot = await this.presence.snapshot();
    this.lastCount = snapshot.count;
    this.io.local.to(waiting.map((w) => w.socket.id)).emit("online", snapshot);
    for (const w of waiting) w.then?.(snapshot.count).catch(this.onError);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
