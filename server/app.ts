import type { Logger } from "pino";
import type { ServerOptions } from "socket.io";
import type { User } from "../common/events";
import { userSync } from "./admin/user-sync";
import { CredentialChecks } from "./accounts/credential-checks";
import { Logins } from "./auth/logins";
import { SessionService } from "./auth/session-service";
import { socketAuth } from "./auth/socket-auth";
import { SocketCap } from "./auth/socket-cap";
import { chatHandlers } from "./chat/chat.handlers";
import { createLimiters, sweepLimiters, type Limiters } from "./limits/limiters";
import type { Config } from "./config/config";
import { historyHandlers } from "./history/history.handlers";
import { createExpressApp, type Health } from "./http/express-app";
import { createHttpServer } from "./http/http-server";
import { moderationHandlers } from "./moderation/moderation.handlers";
import { PresenceAnnouncer } from "./presence/announcer";
import { OnlineSnapshots } from "./presence/online-snapshots";
import { MemoryPresence, type PresenceTracker } from "./presence/presence";
import { ConversationAccess } from "./conversations/access";
import { actionHandlers } from "./messages/actions.handlers";
import { createPush } from "./push/push";
import type { Lookup } from "./push/endpoint-check";
import type { PushStore } from "./store/push-store";
import { searchHandlers } from "./search/search.handlers";
import type { MessageActionStore } from "./store/message-action-store";
import type { SearchStore } from "./store/search-store";
import { readHandlers } from "./read-state/read.handlers";
import { RoomsSnapshot } from "./read-state/snapshot";
import { RoomMembership } from "./rooms/membership";
import { membersHandlers } from "./rooms/members.handlers";
import { roomHandlers } from "./rooms/rooms.handlers";
import { onConnection } from "./socket/connection";
import { createIo, logConnections } from "./socket/io";
import { registerRecoveryBufferMetrics } from "./socket/recovery-buffer";
import { watchSlowConsumers } from "./socket/slow-consumers";
import { ChatMetrics } from "./metrics/metrics";
import { sessionRoom, userRoom } from "./socket/types";
import type { ReadStateStore } from "./store/read-store";
import type { RoomStore } from "./store/room-store";
import type { BanStore, SessionStore } from "./store/session-types";
import type { AccountStore } from "./store/account-store";
import type { AvatarStore } from "./store/avatar-store";
import type { PasskeyStore } from "./store/passkey-store";
import type { ChatStore } from "./store/types";
import type { UploadStore } from "./store/upload-store";
import { UploadService } from "./uploads/upload-service";

export type AppComponents = {
  config: Config;
  store: ChatStore;
  rooms: RoomStore;
  reads: ReadStateStore;
  log: Logger;
  presence?: PresenceTracker;
  /** Every budget (`BUDGET_NAMES` in limits/limiters.ts); in memory when absent, in Redis with several nodes. */
  limiters?: Limiters;
  sessionStore: SessionStore;
  banStore: BanStore;
  /** (v3) Secured users: passwords, failed credential checks, pictures. */
  accounts: AccountStore;

  /** (v3) Passkeys and their WebAuthn challenges. */
  passkeys: PasskeyStore;
  /** The clock of sessions and credential checks; tests inject one to let days pass. */
  now?: () => number;
  actions: MessageActionStore;
  search: SearchStore;
  uploads: UploadStore;
  /** Web Push subscriptions and notification levels. */
  push: PushStore;
  /** (v3) Uploaded profile pictures. */
  avatars: AvatarStore;
  /** DNS for the push endpoint check; the system resolver when absent (tests stand in). */
  pushLookup?: Lookup;
  /** Socket.IO adapter for several nodes (Redis Streams); in-memory when absent. */
  adapter?: ServerOptions["adapter"];
};

const KEEPER_INTERVAL_MS = 60_000;
const DRAIN_TIMEOUT_MS = 10_000;

/** Builds Express, the HTTP server and Socket.IO around the given parts; does not listen. */
export function createApp(components: AppComponents) {
  const { config, log } = components;
  let onlineCount = 0;
  let socketCount = () => 0;
  const metrics = new ChatMetrics({ sockets: () => socketCount(), users: () => onlineCount });
  // The handlers' store is timed; the app still closes the real one.
  const store = metrics.timed(components.store);
  const health: Health = { state: "starting" };
  const { sessionStore, banStore } = components;
  const now = components.now ?? Date.now;
  const sessions = new SessionService(
    sessionStore,
    banStore,
    components.accounts,
    {
      ttlMs: config.sessionTtlMs,
      securedTtlMs: config.securedSessionTtlMs,
      linkTtlMs: config.linkTtlMs,
    },
    now,
  );
  const limiters = components.limiters ?? createLimiters(config);
  const checks = new CredentialChecks(components.accounts, now);
  const logins = new Logins(
    sessions,
    config.joinCode,
    limiters.logins,
    components.accounts,
    checks,
  );
  const presence = components.presence ?? new MemoryPresence();
  /** (v3) A user changed its picture: later `online` snapshots show the new one. */
  const listAnew = (user: User) =>
    presence.update(user).catch((err: unknown) => log.error({ err }, "presence update failed"));
  const rateLimiter = limiters.messages;

  const access = new ConversationAccess(components.rooms, sessions, components.reads);
  const uploads = new UploadService(components.uploads, config.dataDir, {
    ...config.uploads,
    count: limiters.uploads,
    megabytes: limiters.uploadMegabytes,
  });
  // Built once Socket.IO exists (it needs the HTTP server, which needs these routes).
  const synced: { to?: ReturnType<typeof userSync> } = {};
  const httpDeps = {
    config,
    sessions,
    logins,
    deviceLinks: limiters.deviceLinks,
    push: components.push,
    pushSubscriptions: limiters.pushSubscriptions,
    pushLookup: components.pushLookup,
    adminGranted: (u: User) => synced.to?.adminGranted(u),
    userChanged: (u: User) => {
      synced.to?.userChanged(u);
      listAnew(u);
    },
    accounts: components.accounts,
    passkeys: components.passkeys,
    avatars: components.avatars,
    now,
    uploads: { service: uploads, store: components.uploads, actions: components.actions, access },
    metrics,
  };
  const app = createExpressApp(httpDeps, health, log);
  const httpServer = createHttpServer(app);
  const io = createIo(
    httpServer,
    config,
    components.adapter ? { adapter: components.adapter } : {},
  );
  synced.to = userSync(io, components.adapter !== undefined);
  socketCount = () => io.of("/").sockets.size;
  registerRecoveryBufferMetrics(metrics.registry, () => io.of("/").adapter);
  const stopSlowConsumers = watchSlowConsumers(io, config.socketBufferLimitBytes, log, () =>
    metrics.slowConsumerDropped(),
  );
  const announcer = new PresenceAnnouncer(io, presence, config.presenceCoalesceMs);
  const onlineSnapshots = new OnlineSnapshots(io, presence, (err) =>
    log.error({ err }, "online failed"),
  );
  const inflight = { count: 0 };

  io.use((_socket, next) => next(health.state === "ready" ? undefined : new Error("unavailable")));
  io.use(socketAuth(config, sessions, new SocketCap(io), log));
  logConnections(io, log);

  const membership = new RoomMembership(io, components.rooms, components.reads, access);
  const push = createPush({
    config,
    store: components.push,
    access,
    presence,
    levelLimiter: limiters.roomOps,
    log,
    lookup: components.pushLookup,
  });
  presence.on("change", (change) => (onlineCount = change.count));
  const chat = chatHandlers({
    io,
    store,
    actions: components.actions,
    sessions,
    access,
    membership,
    rateLimiter,
    typingLimiter: limiters.typing,
    log,
    cidWindowMs: config.sessionTtlMs,
    delivered: (message, conv) => push.notifier.delivered(message, conv),
  });
  const parts: ChatParts = {
    presence,
    onlineSnapshots,
    roomStore: components.rooms,
    snapshot: new RoomsSnapshot(components.reads, sessions, components.push),
    handlers: {
      chat,
      history: historyHandlers({ store, access, limiter: limiters.reads }).history,
      read: readHandlers({ io, reads: components.reads, access, limiter: limiters.readMarks }).read,
      actions: actionHandlers({
        io,
        actions: components.actions,
        sessions,
        access,
        uploads: components.uploads,
        rateLimiter,
        reactionLimiter: limiters.reactions,
      }),
      search: searchHandlers({ search: components.search, access, limiter: limiters.reads }).search,
      members: membersHandlers({
        rooms: components.rooms,
        presence,
        access,
        limiter: limiters.reads,
      }).members,
      moderate: moderationHandlers({ sessions, bans: banStore, now }).moderate,
      notify: push.handlers.notify,
      rooms: roomHandlers({
        rooms: components.rooms,
        sessions,
        access,
        membership,
        limiter: limiters.roomOps,
        readLimiter: limiters.reads,
        onlineCount: () => onlineCount,
      }),
    },
  };
  io.on("connection", onConnection(parts, log, inflight, metrics));

  // An ended session loses its sockets at once (the contract allows up to 3 s), on every node
  // through the adapter: one device's session, or all of a user's (logout everywhere, kick).
  // A user gone for good also leaves its rooms.
  io.on("user:ended", (userId) => sessions.forgetHolder(userId));
  io.on("admin:granted", (userId) => sessions.forgetHolder(userId));
  // (v3) A new picture, told by another node: its holder cache and online list take it too.
  io.on("user:changed", (user) => {
    sessions.forgetHolder(user.id);
    listAnew(user);
  });
  sessions.on("sessionEnded", (id) => io.in(sessionRoom(id)).disconnectSockets(true));
  sessions.on("ended", (userId) => {
    // Other nodes resolve recipients from memory too: none may keep this user as a holder.
    if (components.adapter !== undefined) io.serverSideEmit("user:ended", userId);
    io.in(userRoom(userId)).disconnectSockets(true);
    membership.forget(userId).catch((err: unknown) => log.error({ err }, "forget failed"));
    push.forget(userId).catch((err: unknown) => log.error({ err }, "push forget failed"));
  });

  /** Sessions with a socket on this node: they keep their nicknames held. */
  const localSessionIds = () => [
    ...new Set([...io.of("/").sockets.values()].map((s) => s.data.sessionId)),
  ];

  // Connected users keep their nicknames; idle sessions past the TTL are ended.
  const keeper = setInterval(() => {
    const run = async () => {
      await sessions.touch(localSessionIds());
      await sessions.expire();
      sweepLimiters(limiters);
      await uploads.sweep();
    };
    run().catch((err: unknown) => log.error({ err }, "session keeper failed"));
  }, KEEPER_INTERVAL_MS);
  keeper.unref();

  /** Refuses new work, lets acks in flight finish, then closes everything. */
  async function shutdown(): Promise<void> {
    if (health.state === "draining") return;
    health.state = "draining";
    clearInterval(keeper);
    stopSlowConsumers();
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (inflight.count > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    announcer.stop();
    onlineSnapshots.stop();
    // Users still connected stay held for the TTL from now.
    await sessions.touch(localSessionIds()).catch(() => {});
    const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    // Disconnects every socket. Its promise waits for the HTTP server's "close", i.e. for the
    // last connection to end, which a client still polling over keep-alive (e.g. a page with a
    // service worker) may never let happen: connections left after a moment are cut.
    const ioClosed = io.close().catch(() => {});
    await Promise.race([ioClosed, new Promise((r) => setTimeout(r, 500))]);
    httpServer.closeAllConnections();
    await Promise.all([ioClosed, httpClosed]);
    await push.close();
    await presence.close();
    await components.store.close();
  }

  function markReady(): void {
    health.state = "ready";
  }

  return { app, httpServer, io, sessions, presence, push, health, metrics, markReady, shutdown };
}

export type ChatApp = ReturnType<typeof createApp>;

/** What the per-socket wiring (socket/connection.ts) needs. */
export type ChatParts = {
  presence: PresenceTracker;
  onlineSnapshots: OnlineSnapshots;
  roomStore: RoomStore;
  snapshot: RoomsSnapshot;
  handlers: {
    chat: ReturnType<typeof chatHandlers>;
    history: ReturnType<typeof historyHandlers>["history"];
    read: ReturnType<typeof readHandlers>["read"];
    moderate: ReturnType<typeof moderationHandlers>["moderate"];
    notify: ReturnType<typeof createPush>["handlers"]["notify"];
    actions: ReturnType<typeof actionHandlers>;
    search: ReturnType<typeof searchHandlers>["search"];
    members: ReturnType<typeof membersHandlers>["members"];
    rooms: ReturnType<typeof roomHandlers>;
  };
};
