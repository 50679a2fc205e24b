import { MemoryRateLimiter } from "../../server/chat/rate-limiter";

describe("MemoryRateLimiter", () => {
  let now = 0;
  const limiter = () => new MemoryRateLimiter(3, 1000, () => now);

  it("allows `limit` per sliding window, per user", async () => {
    now = 0;
    const l = limiter();
    expect(await l.take("a")).toBe(true);
    now = 400;
    expect(await l.take("a")).toBe(true);
    expect(await l.take("a")).toBe(true);
    expect(await l.take("a")).toBe(false);
    expect(await l.take("b")).toBe(true);
    now = 999;
    expect(await l.take("a")).toBe(false);
    now = 1000; // the first slot (t=0) has left the window
    expect(await l.take("a")).toBe(true);
    expect(await l.take("a")).toBe(false);
  });

  it("gives back a refunded slot, and sweeps idle users", async () => {
    now = 0;
    const l = limiter();
    for (let i = 0; i < 3; i++) await l.take("a");
    await l.refund("a");
    expect(await l.take("a")).toBe(true);
    now = 5000;
    l.sweep();
    expect((l as unknown as { log: Map<string, number[]> }).log.size).toBe(0);
  });
});
