// A socket that keeps asking after its budget said no is not a client that will behave:
// past a number of refusals in a short window it is disconnected, so a flood of requests
// that would each be refused cannot keep the server busy for everyone else.
import { ErrorCodes } from "../../common/events";
import { AckError } from "./ack";
import type { ChatSocket } from "./types";

/** `rate_limited` answers one socket may get in `FLOOD_WINDOW_MS` before it is dropped. */
export const FLOOD_REFUSALS = 200;
export const FLOOD_WINDOW_MS = 10_000;

export class FloodGuard {
  private refusals = 0;
  private windowStart = 0;

  constructor(
    private readonly socket: ChatSocket,
    private readonly onDrop: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wraps a handler: counts its `rate_limited` answers. */
  watch<T>(work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => {
      if (error instanceof AckError && error.code === ErrorCodes.rateLimited) this.refused();
      throw error;
    });
  }

  private refused(): void {
    const t = this.now();
    if (t - this.windowStart > FLOOD_WINDOW_MS) {
      this.windowStart = t;
      this.refusals = 0;
    }
    if (++this.refusals === FLOOD_REFUSALS) {
      this.onDrop();
      this.socket.disconnect(true);
    }
  }
}
