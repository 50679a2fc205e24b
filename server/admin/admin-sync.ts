import type { User } from "../../common/events";
import { userRoom, type ChatServer } from "../socket/types";

/**
 * Being an admin is read from the store at every handshake. A user who becomes one while
 * connected has its sockets updated at once: on this node directly, on the other nodes through
 * the adapter's `serverSideEmit` (each node updates its own sockets of that user).
 * Returns the function to call after a successful claim.
 */
export function adminSync(io: ChatServer, clustered: boolean): (user: User) => void {
  const markLocal = (userId: string) => {
    const ns = io.of("/");
    for (const socketId of ns.adapter.rooms.get(userRoom(userId)) ?? []) {
      const socket = ns.sockets.get(socketId);
      if (socket) socket.data.user = { ...socket.data.user, admin: true };
    }
  };
  io.on("admin:granted", markLocal);
  return (user) => {
    markLocal(user.id);
    // The in-memory adapter has no other nodes (and warns on serverSideEmit).
    if (clustered) io.serverSideEmit("admin:granted", user.id);
  };
}
