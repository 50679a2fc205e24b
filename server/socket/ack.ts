import type { Logger } from "pino";
import { ErrorCodes, type Ack, type ErrorCode } from "../../common/events";

const MESSAGES: Record<string, string> = {
  [ErrorCodes.invalid]: "The payload is malformed, empty or too long.",
  [ErrorCodes.unknownRecipient]: "Nobody holds that nickname.",
  [ErrorCodes.rateLimited]: "Too many messages; wait a moment.",
  [ErrorCodes.internal]: "Something went wrong on the server.",
  [ErrorCodes.notFound]: "There is no such room, message or upload.",
  [ErrorCodes.forbidden]: "You may not do that here.",
  [ErrorCodes.nameTaken]: "That name is in use.",
};

export function fail(code: ErrorCode): { ok: false; error: { code: ErrorCode; message: string } } {
  return { ok: false, error: { code, message: MESSAGES[code] ?? code } };
}

/** Thrown by handlers to answer with a known code. */
export class AckError extends Error {
  constructor(readonly code: ErrorCode) {
    // An expected answer, not a fault: no stack trace to capture (a flood of refusals is
    // thousands of these a second).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(code);
    Error.stackTraceLimit = limit;
  }
}

type AckFn<T extends object> = (result: Ack<T>) => void;

/**
 * Wraps an event handler: tolerates a missing ack, turns AckError into its code and anything
 * else into `internal` (logged, never sent to the client), and counts calls in flight so
 * shutdown can let them finish.
 */
/** A handler's result; `afterAck` runs right after the ack is written (e.g. a broadcast). */
export type Outcome<T extends object> = T & { afterAck?: () => void };

export function withAck<C, P, T extends object>(
  log: Logger,
  inflight: { count: number },
  /** `context`: whatever the caller passes through, e.g. the socket. */
  handler: (context: C, payload: P) => Promise<Outcome<T>>,
  /** Told each answer: "ok" or the error code, and the seconds it took. */
  observe: (result: string, seconds: number) => void = () => {},
): (context: C, payload: P, ack?: unknown) => void {
  return (context, payload, ack) => {
    // `emit("history", ack)` with no payload puts the ack first.
    if (typeof payload === "function" && ack === undefined)
      [payload, ack] = [undefined as P, payload];
    const reply: AckFn<T> = typeof ack === "function" ? (ack as AckFn<T>) : () => {};
    inflight.count++;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    handler(context, payload).then(
      ({ afterAck, ...result }) => {
        inflight.count--;
        reply({ ok: true, ...(result as T) });
        observe("ok", seconds());
        afterAck?.();
      },
      (error: unknown) => {
        inflight.count--;
        const code = error instanceof AckError ? error.code : ErrorCodes.internal;
        if (!(error instanceof AckError)) log.error({ err: error }, "handler failed");
        reply(fail(code));
        observe(code, seconds());
      },
    );
  };
}
