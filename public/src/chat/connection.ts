// The Socket.IO connection: the session cookie authenticates it; a banner shows while it is down.
import { io, type Socket } from "socket.io-client";
import {
  ErrorCodes,
  type ClientToServerEvents,
  type HistoryPayload,
  type Message,
  type ServerToClientEvents,
} from "../../../common/events";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const RETRY_MS = 2000;
export const ACK_TIMEOUT_MS = 10_000;

export type ConnectionHooks = {
  /** `first` is false after a reconnect: time to fill gaps and flush the outbox. */
  onConnect(first: boolean): void;
};

export function openConnection(banner: HTMLElement, hooks: ConnectionHooks): ChatSocket {
  // Default transports: long-polling first, then the upgrade, so proxies that block WebSocket work.
  const socket: ChatSocket = io({ reconnectionDelay: 500, reconnectionDelayMax: 3000 });
  let first = true;

  const setState = (state: "online" | "offline") => {
    banner.hidden = state === "online";
    document.body.dataset.connection = state;
  };

  socket.on("connect", () => {
    setState("online");
    hooks.onConnect(first);
    first = false;
  });

  socket.on("disconnect", (reason) => {
    setState("offline");
    // The server only drops us on purpose when the session ended (logout in another tab).
    if (reason === "io server disconnect") void recheckSession(socket);
  });

  socket.on("connect_error", (err) => {
    if (err.message === "unauthorized") return leave();
    setState("offline");
    // Refused by a middleware (e.g. the server still starting): Socket.IO will not retry itself.
    if (!socket.active) setTimeout(() => socket.connect(), RETRY_MS);
  });

  return socket;
}

async function recheckSession(socket: ChatSocket): Promise<void> {
  const res = await fetch("/api/session", { credentials: "same-origin" }).catch(() => null);
  if (res?.status === 401) return leave();
  setTimeout(() => socket.connect(), RETRY_MS);
}

function leave(): void {
  window.location.assign("/");
}

/** `history` as a promise; null when it failed or timed out (the caller may retry later). */
export function fetchHistory(socket: ChatSocket, query: HistoryPayload): Promise<Message[] | null> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve(null);
    socket.timeout(ACK_TIMEOUT_MS).emit("history", query, (err, ack) => {
      resolve(err || !ack.ok ? null : ack.messages);
    });
  });
}

type AckEvent = Exclude<keyof ClientToServerEvents, "typing">;
type PayloadOf<E extends AckEvent> = Parameters<ClientToServerEvents[E]>[0];
type AckOf<E extends AckEvent> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** An event with an ack, as a promise; offline or a timeout answer `internal`. */
export function request<E extends AckEvent>(
  socket: ChatSocket,
  event: E,
  payload: PayloadOf<E>,
): Promise<AckOf<E>> {
  const failed = { ok: false, error: { code: ErrorCodes.internal, message: "no answer" } };
  return new Promise((resolve) => {
    if (!socket.connected) return resolve(failed as AckOf<E>);
    const timed = socket.timeout(ACK_TIMEOUT_MS);
    const emit = timed.emit as unknown as (
      event: E,
      payload: PayloadOf<E>,
      ack: (err: unknown, result: AckOf<E>) => void,
    ) => void;
    emit.call(timed, event, payload, (err, result) => resolve(err ? (failed as AckOf<E>) : result));
  });
}
