import http from "node:http";
import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import { SessionService } from "./auth/session-service";
import { socketAuth } from "./auth/socket-auth";
import { chatHandlers } from "./chat/chat.handlers";
import { MemoryRateLimiter, type RateLimiter } from "./chat/rate-limiter";
import type { Config } from "./config/config";
import { historyHandlers } from "./history/history.handlers";
import { createExpressApp, type Health } from "./http/express-app";
import { PresenceAnnouncer } from "./presence/announcer";
import { OnlineSnapshots } from "./presence/online-snapshots";
import { MemoryPresence, type PresenceTracker } from "./presence/presence";
import { withAck } from "./socket/ack";
import { createIo, logConnections } from "./socket/io";
import { userRoom } from "./socket/types";
import type { ChatStore } from "./store/types";

export type AppComponents = {
  config: Config;
  store: ChatStore;
  log: Logger;
  presence?: PresenceTracker;
  rateLimiter?: RateLimiter;
  /** Socket.IO adapter for several nodes (Redis Streams); in-memory when absent. */
  adapter?: ServerOptions["adapter"];
};

const KEEPER_INTERVAL_MS = 60_000;
const DRAIN_TIMEOUT_MS = 10_000;

/** Builds Express, the HTTP server and Socket.IO around the given parts; does not listen. */
export function createApp(components: AppComponents) {
  const { config, store, log } = components;
  const health: Health = { state: "starting" };
  const sessions = new SessionService(store, config.sessionTtlMs);
  const presence = components.presence ?? new MemoryPresence();
  const rateLimiter =
    components.rateLimiter ??
    new MemoryRateLimiter(config.rateLimit.messages, config.rateLimit.windowMs);

  const app = createExpressApp(config, sessions, health, log);
  const httpServer = http.createServer(app);
  const io = createIo(
    httpServer,
    config,
    components.adapter ? { adapter: components.adapter } : {},
  );
  const announcer = new PresenceAnnouncer(io, presence, config.presenceCoalesceMs);
  const onlineSnapshots = new OnlineSnapshots(io, presence, (err) =>
    log.error({ err }, "online failed"),
  );
  const inflight = { count: 0 };

  io.use((_socket, next) => next(health.state === "ready" ? undefined : new Error("unavailable")));
  io.use(socketAuth(config, sessions, log));
  logConnections(io, log);

  const chat = chatHandlers({
    io,
    store,
    sessions,
    rateLimiter,
    log,
    cidWindowMs: config.sessionTtlMs,
  });
  const { history } = historyHandlers({ store, sessions });

  io.on("connection", (socket) => {
    const { user } = socket.data;
    void socket.join(userRoom(user.id));
    socket.on(
      "textmsg",
      withAck(log, inflight, (p: unknown) => chat.textmsg(socket, p)),
    );
    socket.on(
      "history",
      withAck(log, inflight, (p: unknown) => history(socket, p)),
    );
    socket.on("typing", (p: unknown) => {
      chat.typing(socket, p).catch((err: unknown) => log.error({ err }, "typing failed"));
    });
    socket.on("disconnect", () => {
      presence.disconnect(user).catch((err: unknown) => log.error({ err }, "presence failed"));
    });
    presence
      .connect(user)
      .then(() => onlineSnapshots.send(socket))
      .catch((err: unknown) => log.error({ err }, "presence failed"));
    // Everything the handshake needed has been read; a connection need not keep its request.
    (socket.conn as unknown as { request: unknown }).request = null;
  });

  // An ended session loses its sockets at once (the contract allows up to 3 s).
  sessions.on("ended", (userId) => io.in(userRoom(userId)).disconnectSockets(true));

  // Connected users keep their nicknames; idle sessions past the TTL are ended.
  const keeper = setInterval(() => {
    const run = async () => {
      await store.touchSessions(presence.localUserIds(), Date.now());
      await sessions.expire();
      if (rateLimiter instanceof MemoryRateLimiter) rateLimiter.sweep();
    };
    run().catch((err: unknown) => log.error({ err }, "session keeper failed"));
  }, KEEPER_INTERVAL_MS);
  keeper.unref();

  /** Refuses new work, lets acks in flight finish, then closes everything. */
  async function shutdown(): Promise<void> {
    if (health.state === "draining") return;
    health.state = "draining";
    clearInterval(keeper);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (inflight.count > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    announcer.stop();
    onlineSnapshots.stop();
    // Users still connected stay held for the TTL from now.
    await store.touchSessions(presence.localUserIds(), Date.now()).catch(() => {});
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    // Disconnects every socket; its own attempt to close the (closed) HTTP server is moot.
    await io.close().catch(() => {});
    httpServer.closeAllConnections();
    await httpClosed;
    await presence.close();
    await store.close();
  }

  function markReady(): void {
    health.state = "ready";
  }

  return { app, httpServer, io, sessions, presence, health, markReady, shutdown };
}

export type ChatApp = ReturnType<typeof createApp>;
