// A socket that keeps asking after its budget said no is not a client that will behave:
// past a number of refusals in a short window it is disconnected, so a flood of requests
// that would each be refused cannot keep the server busy for everyone else.
import { ErrorCodes } from "../../common/events";
import { AckError } from "./ack";
import type { ChatSocket } from "./types";

/** `rate_limited` answers one socket may get in `FLOOD_WINDOW_MS` before it is dropped. */
export const FLOOD_REFUSALS = 200;
export const FLOOD_WINDOW_MS = 10_000;

/**
 * Counts each socket's refusals. One guard serves every socket; a socket's count exists only
 * once it has been refused (most never are), and goes with the socket.
 */
export class FloodGuard {
  private readonly counts = new WeakMap<ChatSocket, { refusals: number; since: number }>();

  constructor(
    private readonly onDrop: (socket: ChatSocket) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wraps a handler of `socket`: counts its `rate_limited` answers. */
  watch<T>(socket: ChatSocket, work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => {
      if (error instanceof AckError && error.code === ErrorCodes.rateLimited) this.refused(socket);
      throw error;
    });
  }

  private refused(socket: ChatSocket): void {
    const t = this.now();
    let count = this.counts.get(socket);
    if (!count || t - count.since > FLOOD_WINDOW_MS) {
      count = { refusals: 0, since: t };
      this.counts.set(socket, count);
    }
    if (++count.refusals === FLOOD_REFUSALS) {
      this.onDrop(socket);
      socket.disconnect(true);
    }
  }
}
