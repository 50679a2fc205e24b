import { PushQueue, type Attempt, type PushTask } from "../../server/push/push-queue";

const task = (run: () => Promise<Attempt>): PushTask => ({ label: {}, run });

describe("push queue", () => {
  it("runs at most `concurrency` at once and retries what may succeed later", async () => {
    const dropped: string[] = [];
    const queue = new PushQueue({
      concurrency: 2,
      maxPending: 100,
      retryDelaysMs: [5, 5],
      onDropped: (_t, reason) => dropped.push(reason),
    });
    let running = 0;
    let peak = 0;
    let runs = 0;
    const slow = () =>
      task(async () => {
        runs++;
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return "done";
      });
    for (let i = 0; i < 6; i++) queue.push(slow());
    let flaky = 0;
    queue.push(task(async () => (++flaky < 3 ? { retry: true } : "done")));
    let hopeless = 0;
    queue.push(task(async () => (hopeless++, { retry: true })));
    queue.push(task(() => Promise.reject(new Error("boom"))));
    await queue.drained();
    expect(peak).toBe(2);
    expect(runs).toBe(6);
    expect(flaky).toBe(3);
    expect(hopeless).toBe(3);
    expect(dropped).toEqual(["retries", "retries"]);
    await queue.close();
  });

  it("refuses work beyond maxPending instead of piling it up", async () => {
    const dropped: string[] = [];
    const queue = new PushQueue({
      concurrency: 1,
      maxPending: 2,
      retryDelaysMs: [],
      onDropped: (_t, reason) => dropped.push(reason),
    });
    const never = () => task(() => new Promise<Attempt>(() => {}));
    for (let i = 0; i < 5; i++) queue.push(never());
    expect(dropped).toEqual(["full", "full"]);
    await queue.close(10);
  });
});
