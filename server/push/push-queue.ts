// Pushes wait here, off the message path: a bounded number run at once, each attempt has a
// deadline (in the sender), and a failed attempt that may succeed later is retried after a
// pause. A slow or dead push service therefore never slows delivery or piles up memory.

/** What one attempt came to: done (sent, or given up for good), or worth another try. */
export type Attempt = "done" | { retry: true; afterMs?: number };

export type PushTask = {
  /** For logs: never the message text. */
  label: Record<string, string>;
  run(): Promise<Attempt>;
};

export type QueueOptions = {
  concurrency: number;
  /** Tasks waiting beyond this are refused (and logged): pushes are best effort. */
  maxPending: number;
  /** One pause per retry; its length is the number of retries. */
  retryDelaysMs: readonly number[];
  onDropped(task: PushTask, reason: "full" | "retries"): void;
};

type Entry = { task: PushTask; tries: number };

export class PushQueue {
  private readonly waiting: Entry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: QueueOptions) {}

  push(task: PushTask): void {
    if (this.closed) return;
    if (this.waiting.length >= this.options.maxPending) {
      return this.options.onDropped(task, "full");
    }
    this.waiting.push({ task, tries: 0 });
    this.pump();
  }

  /** Attempts running or waiting, and retries scheduled. */
  get size(): number {
    return this.running + this.waiting.length + this.timers.size;
  }

  private pump(): void {
    while (!this.closed && this.running < this.options.concurrency && this.waiting.length) {
      const entry = this.waiting.shift()!;
      this.running++;
      void this.attempt(entry).finally(() => {
        this.running--;
        this.pump();
        if (this.size === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  private async attempt(entry: Entry): Promise<void> {
    const outcome = await entry.task.run().catch((): Attempt => ({ retry: true }));
    if (outcome === "done") return;
    const delays = this.options.retryDelaysMs;
    if (entry.tries >= delays.length) return this.options.onDropped(entry.task, "retries");
    const wait = Math.max(delays[entry.tries], outcome.afterMs ?? 0);
    entry.tries++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      this.waiting.push(entry);
      this.pump();
    }, wait);
    timer.unref();
    this.timers.add(timer);
  }

  /** Resolves when nothing is running, waiting or scheduled (tests). */
  drained(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Refuses new work, cancels retries, and waits up to `ms` for attempts in flight. */
  async close(ms = 2000): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    const deadline = Date.now() + ms;
    while (this.running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
}
