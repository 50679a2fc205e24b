import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import type { User } from "../common/events";
import { adminSync } from "./admin/admin-sync";
import { LOGIN_WINDOW_MS, Logins } from "./auth/logins";
import { SessionService } from "./auth/session-service";
import { socketAuth } from "./auth/socket-auth";
import { SocketCap } from "./auth/socket-cap";
import { chatHandlers } from "./chat/chat.handlers";
import { MemoryRateLimiter, type RateLimiter } from "./chat/rate-limiter";
import type { Config } from "./config/config";
import { historyHandlers } from "./history/history.handlers";
import { createExpressApp, type Health } from "./http/express-app";
import { createHttpServer } from "./http/http-server";
import { moderationHandlers } from "./moderation/moderation.handlers";
import { PresenceAnnouncer } from "./presence/announcer";
import { OnlineSnapshots } from "./presence/online-snapshots";
import { MemoryPresence, type PresenceTracker } from "./presence/presence";
import { withAck } from "./socket/ack";
import { createIo, logConnections } from "./socket/io";
import { sessionRoom, userRoom } from "./socket/types";
import { concernStores } from "./store/create-store";
import type { BanStore, SessionStore } from "./store/session-types";
import type { ChatStore } from "./store/types";

export type AppComponents = {
  config: Config;
  store: ChatStore;
  log: Logger;
  presence?: PresenceTracker;
  rateLimiter?: RateLimiter;
  /** Sessions and bans; by default on the database handle of `store`. */
  sessionStore?: SessionStore;
  banStore?: BanStore;
  /** LOGIN_RATE_LIMIT per IP (Redis-backed with several nodes); in-memory when absent. */
  loginLimiter?: RateLimiter;
  /** Socket.IO adapter for several nodes (Redis Streams); in-memory when absent. */
  adapter?: ServerOptions["adapter"];
};

const KEEPER_INTERVAL_MS = 60_000;
const DRAIN_TIMEOUT_MS = 10_000;

/** Builds Express, the HTTP server and Socket.IO around the given parts; does not listen. */
export function createApp(components: AppComponents) {
  const { config, store, log } = components;
  const health: Health = { state: "starting" };
  const defaults = components.sessionStore && components.banStore ? null : concernStores(store);
  const banStore = components.banStore ?? defaults!.banStore;
  const sessionStore = components.sessionStore ?? defaults!.sessionStore;
  const sessions = new SessionService(
    sessionStore,
    banStore,
    config.sessionTtlMs,
    config.linkTtlMs,
  );
  const loginLimiter =
    config.loginRateLimit === 0
      ? null
      : (components.loginLimiter ?? new MemoryRateLimiter(config.loginRateLimit, LOGIN_WINDOW_MS));
  const logins = new Logins(sessions, config.joinCode, loginLimiter);
  const presence = components.presence ?? new MemoryPresence();
  const rateLimiter =
    components.rateLimiter ??
    new MemoryRateLimiter(config.rateLimit.messages, config.rateLimit.windowMs);

  let adminGranted: ReturnType<typeof adminSync> = () => {};
  const httpDeps = { config, sessions, logins, adminGranted: (u: User) => adminGranted(u) };
  const app = createExpressApp(httpDeps, health, log);
  const httpServer = createHttpServer(app);
  const io = createIo(
    httpServer,
    config,
    components.adapter ? { adapter: components.adapter } : {},
  );
  adminGranted = adminSync(io, components.adapter !== undefined);
  const announcer = new PresenceAnnouncer(io, presence, config.presenceCoalesceMs);
  const onlineSnapshots = new OnlineSnapshots(io, presence, (err) =>
    log.error({ err }, "online failed"),
  );
  const inflight = { count: 0 };

  io.use((_socket, next) => next(health.state === "ready" ? undefined : new Error("unavailable")));
  io.use(socketAuth(config, sessions, new SocketCap(io), log));
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
  const { moderate } = moderationHandlers({ sessions, bans: banStore });

  io.on("connection", (socket) => {
    const { user } = socket.data;
    void socket.join([userRoom(user.id), sessionRoom(socket.data.sessionId)]);
    socket.on(
      "textmsg",
      withAck(log, inflight, (p: unknown) => chat.textmsg(socket, p)),
    );
    socket.on(
      "history",
      withAck(log, inflight, (p: unknown) => history(socket, p)),
    );
    socket.on(
      "moderate",
      withAck(log, inflight, (p: unknown) => moderate(socket, p)),
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

  // An ended session loses its sockets at once (the contract allows up to 3 s), on every node
  // through the adapter: one device's session, or all of a user's (logout everywhere, kick).
  sessions.on("sessionEnded", (id) => io.in(sessionRoom(id)).disconnectSockets(true));
  sessions.on("ended", (userId) => io.in(userRoom(userId)).disconnectSockets(true));

  /** Sessions with a socket on this node: they keep their nicknames held. */
  const localSessionIds = () => [
    ...new Set([...io.of("/").sockets.values()].map((s) => s.data.sessionId)),
  ];

  // Connected users keep their nicknames; idle sessions past the TTL are ended.
  const keeper = setInterval(() => {
    const run = async () => {
      await sessions.touch(localSessionIds());
      await sessions.expire();
      if (rateLimiter instanceof MemoryRateLimiter) rateLimiter.sweep();
      if (loginLimiter instanceof MemoryRateLimiter) loginLimiter.sweep();
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
    await sessions.touch(localSessionIds()).catch(() => {});
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
