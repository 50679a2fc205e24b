import type Database from "better-sqlite3";

type Queued = {
  work: () => unknown;
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
};

/**
 * Group commit for the embedded database: every piece of work queued during one turn of the
 * event loop runs in one transaction, each in a savepoint of its own (a piece that throws is
 * undone and refused alone), and each promise settles after the one commit. A commit writes
 * every page it changed to the write-ahead log, so one commit per message or per login cost
 * more than the rows themselves.
 *
 * `busyMs`: when a commit was less than this long ago, wait that long before the next, so that
 * under load more work shares it (at most this much is added to a reply); when quiet, commit
 * on the next turn. `inBatch` runs last inside each transaction.
 */
export class GroupCommit {
  private queue: Queued[] = [];
  private scheduled = false;
  private lastFlushAt = -Infinity;

  constructor(
    private readonly db: Database.Database,
    private readonly options: { busyMs?: number; inBatch?: () => void } = {},
  ) {}

  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      const busyMs = this.options.busyMs ?? 0;
      if (performance.now() - this.lastFlushAt < busyMs) setTimeout(() => this.flush(), busyMs);
      else setImmediate(() => this.flush());
    });
  }

  /** Commits what is queued now (also called on close). */
  flush(): void {
    this.scheduled = false;
    this.lastFlushAt = performance.now();
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db.transaction(() => {
        for (const { work } of batch) {
          try {
            // A nested transaction is a savepoint: rolled back alone if it throws.
            outcomes.push({ ok: true, value: this.db.transaction(work)() });
          } catch (error) {
            // Some errors (a full disk) undo the whole transaction, not just the savepoint:
            // then nothing of the batch is stored and every piece is refused.
            if (!this.db.inTransaction) throw error;
            outcomes.push({ ok: false, error });
          }
        }
        this.options.inBatch?.();
      })();
    } catch (error) {
      for (const q of batch) q.reject(error);
      return;
    }
    batch.forEach((q, i) => {
      const o = outcomes[i];
      if (o.ok) q.resolve(o.value as never);
      else q.reject(o.error);
    });
  }
}
