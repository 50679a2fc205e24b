import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, User } from "../../common/events";

export type SocketData = { user: User };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type InterServerEvents = {};

export type ChatServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;
export type ChatSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

/** Every socket of a user joins this room: private delivery and session ends target it. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** Every socket of every member of a room joins this room, on every node. */
export function roomChannel(roomId: string): string {
  return `room:${roomId}`;
}
