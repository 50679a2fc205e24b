// What a Redis outage looks like from the node, and how the node rides it out.
import type { Logger } from "pino";
import {
  ClientClosedError,
  ClientOfflineError,
  ConnectionTimeoutError,
  DisconnectsClientError,
  ErrorReply,
  SocketClosedUnexpectedlyError,
} from "redis";
import type { RedisClient } from "./redis-client";

const SOCKET_ERRORS = new Set(["ECONNRESET", "EPIPE", "ECONNREFUSED", "ETIMEDOUT", "ECONNABORTED"]);

/** The connection failed under the command: it may or may not have run. */
function isConnectionError(reason: unknown): boolean {
  const code = (reason as NodeJS.ErrnoException | null)?.code;
  if (typeof code === "string" && SOCKET_ERRORS.has(code)) return true;
  return [
    ClientClosedError,
    ClientOfflineError,
    ConnectionTimeoutError,
    DisconnectsClientError,
    SocketClosedUnexpectedlyError,
  ].some((type) => reason instanceof type);
}

function isRedisConnectionError(reason: unknown): boolean {
  return isConnectionError(reason) || reason instanceof ErrorReply;
}

const PUBLISH_ATTEMPTS = 3;

/**
 * The client for the streams adapter, with XADD (how a broadcast reaches the other nodes)
 * sent again when the connection dropped under it: a resend waits in the offline queue until
 * Redis is back. At least once rather than at most once: a message whose first XADD did run
 * may reach remote sockets twice, with the same id.
 */
export function withPublishRetry(client: RedisClient): RedisClient {
  const xAdd = async (...args: Parameters<RedisClient["xAdd"]>) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await client.xAdd(...args);
      } catch (err) {
        if (!isConnectionError(err) || attempt >= PUBLISH_ATTEMPTS) throw err;
      }
    }
  };
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "xAdd") return xAdd;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The streams adapter fires some Redis commands without awaiting them (saving a session for
 * connection state recovery, pub/sub requests). One that fails because Redis went away must
 * not take the node down with an unhandled rejection; anything else still does.
 */
export function toleratePendingRedisFailures(log: Logger): () => void {
  const onRejection = (reason: unknown) => {
    if (!isRedisConnectionError(reason)) throw reason;
    log.warn({ err: reason }, "redis command failed during an outage");
  };
  process.on("unhandledRejection", onRejection);
  return () => process.off("unhandledRejection", onRejection);
}
