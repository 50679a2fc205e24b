// Web Push, wired: the queue and sender, who gets pushed for a delivered message, and the
// `notify` handler. app.ts calls `delivered` after each broadcast and `forget` for users
// gone for good.
import type { Logger } from "pino";
import type { RateLimiter } from "../chat/rate-limiter";
import type { Config } from "../config/config";
import type { ConversationAccess } from "../conversations/access";
import type { PresenceTracker } from "../presence/presence";
import type { PushStore } from "../store/push-store";
import type { Lookup } from "./endpoint-check";
import { pushHandlers } from "./push.handlers";
import { PushNotifier } from "./push-notifier";
import { PushQueue } from "./push-queue";
import { PushSender } from "./push-sender";

export type PushDeps = {
  config: Config;
  store: PushStore;
  access: ConversationAccess;
  presence: PresenceTracker;
  levelLimiter: RateLimiter;
  log: Logger;
  lookup?: Lookup;
};

/** Pushes sent at once per node; more wait in the queue. */
const CONCURRENCY = 8;
const MAX_PENDING = 5000;
/** A push service that does not answer within this is given up on for that attempt. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Two retries after network errors, timeouts, 429 and 5xx (longer if Retry-After says so). */
const RETRY_DELAYS_MS = [1000, 5000];

export function createPush(deps: PushDeps) {
  const { log } = deps;
  const queue = new PushQueue({
    concurrency: CONCURRENCY,
    maxPending: MAX_PENDING,
    retryDelaysMs: RETRY_DELAYS_MS,
    onDropped: (task, reason) => log.warn({ ...task.label, reason }, "push dropped"),
  });
  const sender = new PushSender(deps.config, ATTEMPT_TIMEOUT_MS, deps.lookup);
  const notifier = new PushNotifier({ ...deps, queue, sender });
  return {
    queue,
    notifier,
    handlers: pushHandlers({ store: deps.store, access: deps.access, limiter: deps.levelLimiter }),
    forget: (userId: string) => deps.store.forgetUser(userId),
    close: () => queue.close(),
  };
}

export type Push = ReturnType<typeof createPush>;
