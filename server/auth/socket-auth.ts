import type { Logger } from "pino";
import { ErrorCodes } from "../../common/events";
import type { Config } from "../config/config";
import { originAllowed } from "../http/origin";
import type { ChatSocket } from "../socket/types";
import { tokenFromCookieHeader } from "./credentials";
import type { SessionService } from "./session-service";
import type { SocketCap } from "./socket-cap";

/**
 * Handshake middleware: refuses foreign origins (cross-site WebSocket hijacking), then
 * authenticates by `auth.token` or the session cookie, then applies the per-user socket cap.
 * `socket.data.user` (with `admin`) and `socket.data.sessionId` come from the stored session.
 */
export function socketAuth(config: Config, sessions: SessionService, cap: SocketCap, log: Logger) {
  return async (socket: ChatSocket, next: (err?: Error) => void): Promise<void> => {
    const req = socket.request;
    const ip = socket.handshake.address;
    if (!originAllowed(req, config.allowedOrigins, config.trustProxy)) {
      log.warn({ ip, origin: req.headers.origin }, "socket refused: origin not allowed");
      return next(new Error(ErrorCodes.forbiddenOrigin));
    }
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const token =
      typeof auth?.token === "string"
        ? auth.token
        : tokenFromCookieHeader(req.headers.cookie, config.sessionSecret);
    try {
      const session = token ? await sessions.authenticate(token) : null;
      if (!session) {
        log.info({ ip }, "socket refused: unauthorized");
        return next(new Error(ErrorCodes.unauthorized));
      }
      if (!(await cap.reserve(session.user.id))) {
        log.info({ ip, user: session.user.id }, "socket refused: too many connections");
        return next(new Error(ErrorCodes.tooManyConnections));
      }
      socket.data.user = session.user;
      socket.data.sessionId = session.id;
      next();
      // The socket joins its user's room on "connection", a tick after next().
      setImmediate(() => cap.release(session.user.id));
    } catch (error) {
      log.error({ err: error, ip }, "socket auth failed");
      next(new Error(ErrorCodes.internal));
    }
  };
}
