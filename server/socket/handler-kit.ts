// Small pieces every event handler uses: a zod parse that answers `invalid`, and a rate
// limit around work that gives its slot back when the work fails.
import { ErrorCodes } from "../../common/events";
import type { RateLimiter } from "../chat/rate-limiter";
import { AckError } from "./ack";

/** The payload parsed by `schema`, or `invalid`. */
export function parse<T>(
  schema: { safeParse(p: unknown): { success: boolean; data?: T } },
  payload: unknown,
): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new AckError(ErrorCodes.invalid);
  return parsed.data as T;
}

/** Runs `work` under `limiter` for `userId` (`rate_limited` when over); a failure is refunded. */
export async function limited<T>(
  limiter: RateLimiter,
  userId: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!(await limiter.take(userId))) throw new AckError(ErrorCodes.rateLimited);
  try {
    return await work();
  } catch (error) {
    await limiter.refund(userId);
    throw error;
  }
}
