// A client that stops reading its socket would make the server hold everything sent to it.
// Its unsent output is measured on an interval; past the limit the connection is cut at once
// (a polite close would wait for output it will never read).
import type { Logger } from "pino";
import type { ChatServer, ChatSocket } from "./types";

const CHECK_INTERVAL_MS = 500;

type EnginePacket = { data?: unknown; options?: { wsPreEncodedFrame?: unknown } };
type RawWebSocket = { bufferedAmount?: number; terminate?: () => void };
type EngineSocket = {
  writeBuffer?: EnginePacket[];
  transport: { name: string; socket?: RawWebSocket };
  close(): void;
};

function size(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes queued for the socket and not yet taken by its peer (approximate for strings). */
export function unsentBytes(socket: ChatSocket): number {
  const conn = socket.conn as unknown as EngineSocket;
  let bytes = 0;
  for (const packet of conn.writeBuffer ?? []) {
    bytes += size(packet.data);
    // A broadcast's packet also holds its WebSocket frame, built once for all its recipients:
    // the same bytes again, kept alive by this socket once the others have sent theirs.
    const frame = packet.options?.wsPreEncodedFrame;
    if (Array.isArray(frame)) for (const part of frame) bytes += size(part);
  }
  if (conn.transport.name === "websocket") bytes += conn.transport.socket?.bufferedAmount ?? 0;
  return bytes;
}

/** Checks every local socket; returns a stop function. */
export function watchSlowConsumers(
  io: ChatServer,
  limitBytes: number,
  log: Logger,
  dropped: () => void,
): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of("/").sockets.values()) {
      const bytes = unsentBytes(socket);
      if (bytes <= limitBytes) continue;
      log.warn({ socket: socket.id, user: socket.data.user.id, bytes }, "not reading: dropped");
      dropped();
      const conn = socket.conn as unknown as EngineSocket;
      const raw = conn.transport.socket;
      // terminate() destroys the TCP socket; the transport's close then ends the socket.
      if (conn.transport.name === "websocket" && raw?.terminate) raw.terminate();
      else conn.close();
    }
  }, CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
