// The Socket.IO connection: the session cookie authenticates it; a banner shows while it is down.
import { io, type Socket } from "socket.io-client";
import {
  ErrorCodes,
  type Ack,
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

/**
 * `history` as a promise; null when it failed or timed out (the caller may retry later).
 * Over the server's read budget it waits a moment and asks again.
 */
export async function fetchHistory(
  socket: ChatSocket,
  query: HistoryPayload,
): Promise<Message[] | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const ack = await request<{ messages: Message[] }>(socket, "history", query);
    if (ack?.ok) return ack.messages;
    if (ack?.error.code !== ErrorCodes.rateLimited) return null;
    await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
  }
  return null;
}

/** Any client event with an ack, as a promise; null when disconnected or timed out. */
export function request<T extends object = object>(
  socket: ChatSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T> | null> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve(null);
    // Any event name: the typed emit only takes the declared ones.
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as {
      emit(ev: string, p: unknown, cb: (err: unknown, ack: Ack<T>) => void): void;
    };
    timed.emit(event, payload, (err, ack) => resolve(err ? null : ack));
  });
}
