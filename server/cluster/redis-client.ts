import type { Logger } from "pino";
import { createClient, type RedisClientType } from "redis";

export type RedisClient = RedisClientType;

const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * A connected client that reconnects forever (quickly: a Redis restart should be a blip) and
 * logs each outage once rather than every retry.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisClient> {
  const client: RedisClient = createClient({
    url,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  watchOutages(client, log);
  await client.connect();
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
