import type { Logger } from "pino";
import type { RedisClient } from "./redis-client";

/** The Redis stream the Socket.IO adapter writes every broadcast of every node to. */
export const ADAPTER_STREAM = "chat:socket.io";
/** How long past the recovery window a broadcast is kept, for a node that reads late. */
export const STREAM_KEEP_MARGIN_MS = 60_000;
/** How often each node trims the stream. */
export const STREAM_TRIM_EVERY_MS = 30_000;

/**
 * Removes the entries older than `keepMs` by Redis's clock (stream ids are its milliseconds).
 * The adapter itself only caps the stream at about 10,000 entries, which on a quiet server
 * would keep a broadcast's text (a textmsg since edited or deleted) for days.
 */
export async function trimStream(
  client: RedisClient,
  stream: string,
  keepMs: number,
): Promise<number> {
  const [seconds] = (await client.sendCommand(["TIME"])) as string[];
  const minId = `${Math.max(0, Number(seconds) * 1000 - keepMs)}-0`;
  return (await client.sendCommand(["XTRIM", stream, "MINID", "=", minId])) as number;
}

/**
 * Every node trims the adapter's stream to the connection state recovery window plus a
 * margin: a broadcast older than that can no longer be replayed to anyone. Returns a stop.
 */
export function startStreamTrim(
  client: RedisClient,
  recoveryWindowMs: number,
  log: Logger,
  everyMs = STREAM_TRIM_EVERY_MS,
): () => void {
  const keepMs = recoveryWindowMs + STREAM_KEEP_MARGIN_MS;
  const timer = setInterval(() => {
    trimStream(client, ADAPTER_STREAM, keepMs).catch((err: unknown) =>
      log.debug({ err }, "adapter stream trim failed; next time"),
    );
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
