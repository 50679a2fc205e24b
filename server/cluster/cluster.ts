import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Logger } from "pino";
import type { AppComponents } from "../app";
import { RedisRateLimiter } from "../chat/redis-rate-limiter";
import { createLimiters } from "../limits/limiters";
import type { Config } from "../config/config";
import { RedisPresence } from "../presence/redis-presence";
import { connectRedis } from "./redis-client";
import { toleratePendingRedisFailures, withPublishRetry } from "./redis-failures";
import { ADAPTER_STREAM, startStreamTrim } from "./stream-trim";

const CLOSE_TIMEOUT_MS = 2000;

export type ClusterParts = Required<Pick<AppComponents, "adapter" | "presence" | "limiters">> & {
  /** Quits Redis; call after the app has shut down. */
  close(): Promise<void>;
};

/**
 * With REDIS_URL, the parts that make several nodes one chat: the Socket.IO Redis Streams
 * adapter (broadcasts, connection state recovery), cluster-wide presence and every budget of
 * `limits/limiters.ts` (per user, and per IP address for logins and link pages).
 */
export async function createClusterParts(
  config: Config & { redisUrl: string },
  log: Logger,
): Promise<ClusterParts> {
  const stopTolerating = toleratePendingRedisFailures(log);
  const client = await connectRedis(config.redisUrl, log);
  const presence = new RedisPresence(client, { nodeId: config.nodeId, log });
  await presence.start();
  // Every budget in Redis, shared by all nodes (the message budget keeps its v1 key prefix).
  const limiters = createLimiters(
    config,
    (name, b) =>
      new RedisRateLimiter(
        client,
        b.limit,
        b.windowMs,
        name === "messages" ? "chat:rate:" : `chat:limit:${name}:`,
      ),
  );
  // The stream keeps every broadcast (message text included) until trimmed: see stream-trim.ts.
  const adapter = createAdapter(withPublishRetry(client), { streamName: ADAPTER_STREAM });
  const stopTrim = startStreamTrim(client, config.recoveryWindowMs, log);
  log.info({ node: config.nodeId }, "cluster mode: redis adapter, presence and rate limit");
  if (!config.databaseUrl) {
    // SQLite is only shared by processes on one host that use the same DATA_DIR.
    log.warn("REDIS_URL without DATABASE_URL: every node must share this host and DATA_DIR");
  }
  return {
    adapter,
    presence,
    limiters,
    async close() {
      stopTrim();
      // Pending commands would wait forever for a Redis that is down.
      const closed = client.close().catch(() => {});
      const timeout = new Promise((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
      await Promise.race([closed, timeout]);
      if (client.isOpen) client.destroy();
      stopTolerating();
    },
  };
}
