import type { ServerToClientEvents } from "../../common/events";
import type { ChatSocket } from "./types";

/** Socket.IO's EVENT packet type (socket.io-parser's PacketType.EVENT). */
const EVENT = 2;

/** What Socket.IO's own adapter calls to write an encoded packet to one connection (4.8). */
type Client = { _packet(encoded: unknown[], opts: { preEncoded: true }): void };

/**
 * Sends a connection its own snapshot, past the adapter. With connection state recovery on,
 * `socket.emit` goes through the adapter, which keeps every packet for the recovery window
 * (in memory, or in the Redis stream, sent to every node) so that a socket coming back can be
 * given what it missed. A snapshot is not worth replaying: every connection, recovered or
 * not, is sent a fresh one. Kept, each connect's `rooms` (with the last private message of
 * each conversation) stayed in memory, or in Redis, for two minutes. (`online` is still a
 * kept broadcast, one per batch of new sockets: it gives each socket its first recovery
 * offset, so a drop right after connecting is recovered.)
 */
export function sendSnapshot<E extends "rooms">(
  socket: ChatSocket,
  event: E,
  ...args: Parameters<ServerToClientEvents[E]>
): void {
  if (!socket.connected) return;
  // The server's own encoder: the same bytes `emit` would have sent.
  const packet = { type: EVENT, nsp: socket.nsp.name, data: [event, ...args] };
  const encoded = socket.nsp.server.encoder.encode(packet);
  (socket.client as unknown as Client)._packet(encoded, { preEncoded: true });
}
