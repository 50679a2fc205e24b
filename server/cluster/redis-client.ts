import type { Logger } from "pino";
import { createClient, type RedisClientType } from "redis";

export type RedisClient = RedisClientType;

const MAX_RECONNECT_DELAY_MS = 1000;
/** How long the first connection may take before start-up gives up. */
export const REDIS_STARTUP_TIMEOUT_MS = 5000;

/** Redis could not be reached at start-up: the node refuses to run without it. */
export class RedisUnreachable extends Error {}

/**
 * A connected client that reconnects forever (quickly: a Redis restart should be a blip) and
 * logs each outage once rather than every retry. The first connection must succeed within
 * `startupTimeoutMs` (RedisUnreachable): a node without Redis would be a chat of its own.
 */
export async function connectRedis(
  url: string,
  log: Logger,
  startupTimeoutMs = REDIS_STARTUP_TIMEOUT_MS,
): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  watchOutages(client, log);
  let lastError = "no answer";
  const noteError = (err: unknown) =>
    (lastError = err instanceof Error ? err.message : String(err));
  client.on("error", noteError);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), startupTimeoutMs);
  });
  const connected = client.connect().then(
    () => "ready" as const,
    (err: unknown) => (noteError(err), "failed" as const),
  );
  const outcome = await Promise.race([connected, timedOut]);
  clearTimeout(timer);
  client.off("error", noteError);
  if (outcome !== "ready") {
    client.destroy();
    const { host } = new URL(url); // never the password
    throw new RedisUnreachable(
      `Redis unreachable at ${host} (REDIS_URL) after ${startupTimeoutMs / 1000} s: ${lastError}`,
    );
  }
  return client;
}

function watchOutages(client: RedisClient, log: Logger): void {
  let down = false;
  client.on("error", (err: unknown) => {
    if (!down) log.warn({ err }, "redis connection lost; reconnecting");
    down = true;
  });
  client.on("ready", () => {
    if (down) log.info("redis reconnected");
    down = false;
  });
}
