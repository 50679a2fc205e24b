// One socket's burst must not hold up everybody else's events. Each socket may start a few
// events per turn of the event loop; the rest wait, in order, for the next turn, after the
// I/O that came in meanwhile (other users' messages) has been read. A client that sends 500
// requests at once then costs others a few milliseconds per turn, not the whole 500.
import type { ChatSocket } from "./types";

/** Events one socket may start in one turn of the event loop. */
export const EVENTS_PER_TURN = 4;

type Run = () => void;

export class FairTurns {
  private readonly waiting = new Map<ChatSocket, Run[]>();
  private readonly started = new Map<ChatSocket, number>();
  private scheduled = false;

  constructor(private readonly perTurn = EVENTS_PER_TURN) {}

  /** Runs `run` now, or, past the socket's share of this turn, in a later turn (in order). */
  run(socket: ChatSocket, run: Run): void {
    const queue = this.waiting.get(socket);
    const count = this.started.get(socket) ?? 0;
    if (!queue && count < this.perTurn) {
      this.started.set(socket, count + 1);
      this.schedule();
      run();
      return;
    }
    if (queue) queue.push(run);
    else this.waiting.set(socket, [run]);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.nextTurn());
  }

  /** A new turn: every socket's share starts again with what it left waiting. */
  private nextTurn(): void {
    this.scheduled = false;
    this.started.clear();
    for (const [socket, queue] of this.waiting) {
      const now = queue.splice(0, this.perTurn);
      if (queue.length === 0) this.waiting.delete(socket);
      this.started.set(socket, now.length);
      // A socket that left has nothing left to answer.
      if (socket.connected) for (const run of now) run();
      else this.waiting.delete(socket);
    }
    if (this.waiting.size > 0 || this.started.size > 0) this.schedule();
  }
}
