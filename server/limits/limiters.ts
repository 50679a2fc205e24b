// One limiter for every client event and costly route: each budget is a sliding window per
// key (a user id, a user and conversation, an IP address), in memory on one node or in
// Redis shared by all nodes. Budgets come from config (README: Configure).
import { LOGIN_WINDOW_MS } from "../auth/logins";
import { MemoryRateLimiter, type RateLimiter } from "../chat/rate-limiter";
import type { Config } from "../config/config";

/** `limit` 0: no limit at all. */
export type Budget = { limit: number; windowMs: number };

const UNLIMITED: RateLimiter = { take: async () => true, refund: async () => {} };

export const BUDGET_NAMES = [
  "messages",
  "reactions",
  "reads",
  "readMarks",
  "roomOps",
  "typing",
  "logins",
  "deviceLinks",
  "uploads",
  "uploadMegabytes",
  "pushSubscriptions",
] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];
export type Limiters = Record<BudgetName, RateLimiter>;

/**
 * What each budget allows: per user, except logins (per IP address); device links also count
 * `GET /link/<code>` per IP address (keys `ip:<address>`), where nobody is logged in yet.
 */
export function budgetsOf(config: Config): Record<BudgetName, Budget> {
  const b = config.budgets;
  return {
    messages: { limit: config.rateLimit.messages, windowMs: config.rateLimit.windowMs },
    reactions: { limit: b.reactions, windowMs: 10_000 },
    // READ_RATE_LIMIT a second on average, with a burst of twice that (a reconnect fills gaps).
    reads: { limit: b.reads * 2, windowMs: 2000 },
    // `read` marks: a page sends at most one a second per conversation, so 60 per 10 s leaves
    // room for several tabs and devices on busy conversations, apart from history's budget.
    readMarks: { limit: b.readMarks, windowMs: 10_000 },
    roomOps: { limit: b.roomOps, windowMs: 60_000 },
    // Keyed by user and conversation; an interval of 0 lets every relay through.
    typing: { limit: config.typingIntervalMs ? 1 : 0, windowMs: config.typingIntervalMs },
    // 0 turns the login limit off.
    logins: { limit: config.loginRateLimit, windowMs: LOGIN_WINDOW_MS },
    deviceLinks: { limit: b.deviceLinks, windowMs: 60_000 },
    uploads: { limit: b.uploads, windowMs: 60_000 },
    // One unit per MiB received, taken while the file streams in.
    uploadMegabytes: { limit: b.uploadMegabytes, windowMs: 60_000 },
    pushSubscriptions: { limit: b.pushSubscriptions, windowMs: 60_000 },
  };
}

export type LimiterFactory = (name: BudgetName, budget: Budget) => RateLimiter;

export const memoryLimiter: LimiterFactory = (_name, b) =>
  new MemoryRateLimiter(b.limit, b.windowMs);

export function createLimiters(config: Config, make: LimiterFactory = memoryLimiter): Limiters {
  const budgets = budgetsOf(config);
  return Object.fromEntries(
    BUDGET_NAMES.map((name) => {
      const budget = budgets[name];
      return [name, budget.limit === 0 ? UNLIMITED : make(name, budget)];
    }),
  ) as Limiters;
}

/** Forgets keys with nothing left in their windows (the in-memory ones). */
export function sweepLimiters(limiters: Limiters): void {
  for (const limiter of Object.values(limiters)) {
    if (limiter instanceof MemoryRateLimiter) limiter.sweep();
  }
}
