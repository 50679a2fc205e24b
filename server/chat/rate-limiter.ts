/**
 * At most `limit` accepted messages per user in any `windowMs` window, across all of the
 * user's sockets. `take` reserves a slot; `refund` gives it back when nothing was accepted
 * (a duplicate `cid` or a failed write).
 */
export interface RateLimiter {
  take(userId: string): Promise<boolean>;
  refund(userId: string): Promise<void>;
}

/** Sliding log of the last `limit` acceptance times per user, on one node. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly log = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(userId: string): Promise<boolean> {
    const now = this.now();
    let times = this.log.get(userId);
    if (!times) {
      times = [];
      this.log.set(userId, times);
    }
    while (times.length > 0 && times[0] <= now - this.windowMs) times.shift();
    if (times.length >= this.limit) return false;
    times.push(now);
    return true;
  }

  async refund(userId: string): Promise<void> {
    this.log.get(userId)?.pop();
  }

  /** Drops users with nothing in the window, so the map does not grow without bound. */
  sweep(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [id, times] of this.log) {
      if (times.length === 0 || times[times.length - 1] <= cutoff) this.log.delete(id);
    }
  }
}
