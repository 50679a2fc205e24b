// Speaks to the server as a bot or test client would: HTTP login, then socket.io-client.
import { io, type Socket } from "socket.io-client";
import type {
  Ack,
  ClientToServerEvents,
  Message,
  ServerToClientEvents,
  User,
} from "../../common/events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let counter = 0;
/** A nickname no other test in this run uses. */
export function uniqueName(prefix = "user"): string {
  return `${prefix}${process.pid % 1000}-${++counter}`;
}

export async function login(
  url: string,
  name = uniqueName(),
  avatar = "fox",
): Promise<{ token: string; user: User }> {
  const res = await fetch(`${url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, avatar }),
  });
  if (res.status !== 201)
    throw new Error(`login ${name} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: User };
}

export function connect(
  url: string,
  token: string | undefined,
  options: Parameters<typeof io>[1] = {},
): ClientSocket {
  return io(url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    auth: token === undefined ? {} : { token },
    ...options,
  });
}

/** Resolves on "connect", rejects with the connect_error message. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}

export type Client = { socket: ClientSocket; user: User; token: string; received: Message[] };

/** Logs in and connects; records every textmsg it receives. */
export async function joinChat(url: string, name?: string, avatar?: string): Promise<Client> {
  const { token, user } = await login(url, name, avatar);
  const socket = connect(url, token);
  const received: Message[] = [];
  socket.on("textmsg", (m) => received.push(m));
  await connected(socket);
  return { socket, user, token, received };
}

export function send(
  socket: ClientSocket,
  payload: unknown,
  event: "textmsg" | "history" = "textmsg",
): Promise<Ack<{ message: Message; messages: Message[] }>> {
  return new Promise((resolve) => {
    (socket.emit as (ev: string, p: unknown, ack: (r: unknown) => void) => void)(
      event,
      payload,
      (r) => resolve(r as Ack<{ message: Message; messages: Message[] }>),
    );
  });
}

export async function sendOk(socket: ClientSocket, payload: unknown): Promise<Message> {
  const ack = await send(socket, payload);
  if (!ack.ok) throw new Error(`textmsg failed: ${ack.error.code}`);
  return ack.message;
}

export async function historyOf(socket: ClientSocket, payload: unknown = {}): Promise<Message[]> {
  const ack = await send(socket, payload, "history");
  if (!ack.ok) throw new Error(`history failed: ${ack.error.code}`);
  return ack.messages;
}

/** Waits for the next `event` that satisfies `match`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (...args: Parameters<ServerToClientEvents[E]>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    const handler = (...args: Parameters<ServerToClientEvents[E]>) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args[0]);
    };
    socket.on(event, handler as never);
  });
}

/** Polls until `check` passes or the time is up. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Emits any client event with an ack and resolves with the ack. */
export function call<T extends object = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<Ack<T>> {
  return new Promise((resolve) => {
    (socket.emit as (ev: string, p: unknown, ack: (r: unknown) => void) => void)(
      event,
      payload,
      (r) => resolve(r as Ack<T>),
    );
  });
}

/** Like `call`, and fails the test unless the ack is ok. */
export async function callOk<T extends object = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  payload: unknown,
): Promise<T> {
  const ack = await call<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code}`);
  return ack;
}

/** The code of a failed ack ("ok" when it succeeded). */
export async function errorCode(socket: ClientSocket, event: string, payload: unknown) {
  const ack = await call(socket, event, payload);
  return ack.ok ? "ok" : ack.error.code;
}

/** Records every event of the given names a socket receives, for "saw nothing" checks. */
export function recordEvents(
  socket: ClientSocket,
  events: string[],
): { event: string; payload: unknown }[] {
  const seen: { event: string; payload: unknown }[] = [];
  for (const event of events) {
    (socket.on as (ev: string, fn: (p: unknown) => void) => void)(event, (payload) =>
      seen.push({ event, payload }),
    );
  }
  return seen;
}
