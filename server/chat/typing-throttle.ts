/** "Is typing" relays closer together than this, per user and conversation, are dropped. */
export const TYPING_MIN_INTERVAL_MS = 500;

/** One relay per user and conversation per interval, whatever the number of sockets. */
export class TypingThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly intervalMs = TYPING_MIN_INTERVAL_MS,
  ) {}

  allow(userId: string, conversation: string): boolean {
    const key = `${userId}\u0000${conversation}`;
    const t = this.now();
    if (t - (this.last.get(key) ?? -Infinity) < this.intervalMs) return false;
    this.last.set(key, t);
    return true;
  }

  /** Forgets entries past their interval, so the map does not grow without bound. */
  sweep(): void {
    const cutoff = this.now() - this.intervalMs;
    for (const [key, t] of this.last) if (t <= cutoff) this.last.delete(key);
  }
}
