import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { Logger } from "pino";
import { LIMITS } from "../../common/events";
import type { Config } from "../config/config";
import { boundedRecoveryAdapter } from "./recovery-buffer";
import type { ChatServer, ChatSocket } from "./types";

export function createIo(
  httpServer: HttpServer,
  config: Config,
  extra: Partial<ServerOptions>,
): ChatServer {
  return new Server(httpServer, {
    maxHttpBufferSize: LIMITS.maxPayloadBytes,
    serveClient: false,
    perMessageDeflate: false,
    connectionStateRecovery: {
      maxDisconnectionDuration: config.recoveryWindowMs,
      // Re-run authentication: a session may have ended while the client was away.
      skipMiddlewares: false,
    },
    cors: config.allowedOrigins.length
      ? { origin: config.allowedOrigins, credentials: true }
      : undefined,
    // Kept for recovery: at most RECOVERY_BUFFER_BYTES, not the whole window of a burst.
    // `extra.adapter` (Redis Streams, with REDIS_URL) replaces it: its stream lives in Redis.
    adapter: boundedRecoveryAdapter(config.recoveryBufferBytes),
    ...extra,
  });
}

/** Logs connects and disconnects, one line each, never message contents. */
export function logConnections(io: ChatServer, log: Logger): void {
  // One listener for every socket (`this`), not a closure per connection.
  function disconnected(this: ChatSocket, reason: string): void {
    log.info({ socket: this.id, user: this.data.user.id, reason }, "disconnected");
  }
  io.on("connection", (socket) => {
    const { user } = socket.data;
    log.info(
      {
        socket: socket.id,
        user: user.id,
        transport: socket.conn.transport.name,
        recovered: socket.recovered,
      },
      "connected",
    );
    socket.on("disconnect", disconnected);
  });
}
