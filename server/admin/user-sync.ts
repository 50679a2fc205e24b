import type { User } from "../../common/events";
import { userRoom, type ChatServer } from "../socket/types";

/**
 * A user's `User` is read from the store at every handshake. When it changes while the user is
 * connected (it became an admin; v3: it changed its picture), its sockets are updated at once:
 * on this node directly, on the other nodes through the adapter's `serverSideEmit` (each node
 * updates its own sockets of that user), so the next messages it sends carry the change.
 * A new picture is also told to every socket, on every node, as the `user` event.
 */
export function userSync(io: ChatServer, clustered: boolean) {
  const updateLocal = (userId: string, change: Partial<User>) => {
    const ns = io.of("/");
    for (const socketId of ns.adapter.rooms.get(userRoom(userId)) ?? []) {
      const socket = ns.sockets.get(socketId);
      if (socket) socket.data.user = { ...socket.data.user, ...change };
    }
  };
  io.on("admin:granted", (userId) => updateLocal(userId, { admin: true }));
  io.on("user:changed", (user) => updateLocal(user.id, { avatar: user.avatar }));
  return {
    /** Call after a successful admin claim. */
    adminGranted(user: User): void {
      updateLocal(user.id, { admin: true });
      // The in-memory adapter has no other nodes (and warns on serverSideEmit).
      if (clustered) io.serverSideEmit("admin:granted", user.id);
    },
    /** Call after a user changed its picture. */
    userChanged(user: User): void {
      updateLocal(user.id, { avatar: user.avatar });
      if (clustered) io.serverSideEmit("user:changed", user);
      io.emit("user", { user });
    },
  };
}
