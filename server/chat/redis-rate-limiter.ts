import crypto from "node:crypto";
import type { RedisClient } from "../cluster/redis-client";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter";

// A sliding log per user in a sorted set, scored by Redis's own clock so that nodes with
// skewed clocks still share one window. ARGV: limit, window ms, a unique member suffix.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * The per-user limit shared by all nodes. While Redis is unreachable, each node falls back to
 * its own in-memory window rather than refusing every message.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly fallback: MemoryRateLimiter;
  /** Tells this node's log entries from other nodes' within one millisecond. */
  private readonly token = crypto.randomBytes(6).toString("hex");
  private counter = 0;
  private fallbackTakes = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly prefix = "chat:rate:",
  ) {
    this.fallback = new MemoryRateLimiter(limit, windowMs);
  }

  async take(userId: string): Promise<boolean> {
    if (!this.client.isReady) return this.local(userId);
    const member = `${this.token}:${++this.counter}`;
    try {
      const taken = await this.client.eval(TAKE, {
        keys: [this.prefix + userId],
        arguments: [String(this.limit), String(this.windowMs), member],
      });
      return taken === 1;
    } catch {
      return this.local(userId);
    }
  }

  private local(userId: string): Promise<boolean> {
    if (++this.fallbackTakes % 1000 === 0) this.fallback.sweep();
    return this.fallback.take(userId);
  }

  async refund(userId: string): Promise<void> {
    if (!this.client.isReady) return this.fallback.refund(userId);
    await this.client.zPopMax(this.prefix + userId).catch(() => this.fallback.refund(userId));
  }
}
