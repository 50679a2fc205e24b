import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, User } from "../../common/events";

/** `user.admin` is kept current on every node (see server/admin/user-sync.ts). */
export type SocketData = { user: User; sessionId: string };
export type InterServerEvents = {
  /** A user became an admin: nodes update their sockets of that user. */
  "admin:granted": (userId: string) => void;
  /** A user's last session ended: nodes forget it as its nickname's holder. */
  "user:ended": (userId: string) => void;
  /** (v3) A user changed its picture: nodes update their sockets of that user. */
  "user:changed": (user: User) => void;
};

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

/** Every socket of one device's session joins this room: ending that session targets it. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
