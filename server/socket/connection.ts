// What every new socket gets: its channels, its snapshots, and its event handlers.
import type { Logger } from "pino";
import type { ChatParts } from "../app";
import { roomChannel, sessionRoom, userRoom, type ChatSocket } from "./types";
import type { ChatMetrics } from "../metrics/metrics";
import { withAck } from "./ack";
import { FairTurns } from "./fair-turns";
import { FloodGuard } from "./flood-guard";
import { sendSnapshot } from "./direct-send";

type Handler = (socket: ChatSocket, payload: unknown) => Promise<object>;

export function onConnection(
  parts: ChatParts,
  log: Logger,
  inflight: { count: number },
  metrics: ChatMetrics,
) {
  const { chat, history, rooms, members, read, moderate, actions, search, notify } = parts.handlers;
  const handlers: Record<string, Handler> = {
    textmsg: chat.textmsg,
    typing: chat.typing,
    history,
    read,
    moderate,
    search,
    notify,
    "message:edit": actions.edit,
    "message:delete": actions.remove,
    "message:react": actions.react,
    "room:create": rooms.create,
    "room:list": rooms.list,
    "room:join": rooms.join,
    "room:leave": rooms.leave,
    "room:add": rooms.add,
    "room:update": rooms.update,
    "room:delete": rooms.remove,
    "room:members": members,
  };

  const guard = new FloodGuard((socket) =>
    log.warn(
      { socket: socket.id, user: socket.data.user.id },
      "flooding past its budgets: disconnected",
    ),
  );
  const turns = new FairTurns();
  // Built once for every socket: a connection costs no closures per event.
  const dispatch = new Map<string, (socket: ChatSocket, payload: unknown, ack?: unknown) => void>();
  for (const [event, handler] of Object.entries(handlers)) {
    dispatch.set(
      event,
      withAck(
        log,
        inflight,
        (socket: ChatSocket, p: unknown) => guard.watch(socket, () => handler(socket, p)),
        (result, seconds) => metrics.ack(event, result, seconds),
      ),
    );
  }
  /**
   * The one listener of every socket (`this`). Unknown events are ignored, and so is a packet
   * read after the socket left (`onAny` runs before Socket.IO's own check of that).
   */
  function onEvent(this: ChatSocket, event: string, payload?: unknown, ack?: unknown): void {
    const handle = dispatch.get(event);
    if (!handle || !this.connected) return;
    turns.run(this, () => handle(this, payload, ack));
  }

  /** Shared too: a per-socket closure would keep the connect handler's scope alive. */
  function onDisconnect(this: ChatSocket): void {
    parts.presence
      .disconnect(this.data.user)
      .catch((err: unknown) => log.error({ err }, "presence failed"));
  }

  return (socket: ChatSocket) => {
    const { user } = socket.data;
    void socket.join([userRoom(user.id), sessionRoom(socket.data.sessionId)]);
    socket.onAny(onEvent);
    socket.on("disconnect", onDisconnect);
    // Room channels first, so the socket hears its rooms from now on; then `online`, then
    // `rooms` (computed meanwhile).
    const snapshot = parts.roomStore.memberOf(user.id).then((mine) => {
      void socket.join(mine.map((r) => roomChannel(r.id)));
      return mine;
    });
    parts.presence
      .connect(user)
      .then(() =>
        parts.onlineSnapshots.send(socket, (online) =>
          snapshot
            .then((mine) => parts.snapshot.of(user, mine, online))
            .then((payload) => sendSnapshot(socket, "rooms", payload)),
        ),
      )
      .catch((err: unknown) => log.error({ err }, "connect failed"));
    // Everything the handshake needed has been read; a connection need not keep its request.
    (socket.conn as unknown as { request: unknown }).request = null;
  };
}
