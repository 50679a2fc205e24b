import crypto from "node:crypto";
import { ErrorCodes } from "../../common/events";
import type { RateLimiter } from "../chat/rate-limiter";
import type { LoginResult, SessionService } from "./session-service";

/** LOGIN_RATE_LIMIT counts attempts in this window. */
export const LOGIN_WINDOW_MS = 60_000;

export type LoginInput = { name?: unknown; avatar?: unknown; code?: unknown; link?: unknown };

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const hash = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(hash(given.trim()), hash(expected));
}

/**
 * Every way in, for the form, the JSON API and device links: the per-IP login rate limit
 * first (it counts attempts, so guessing codes is limited too), then a link code (which needs
 * no JOIN_CODE), else JOIN_CODE, then the nickname rules, bans and holders.
 */
export class Logins {
  constructor(
    private readonly sessions: SessionService,
    private readonly joinCode: string | undefined,
    /** null: LOGIN_RATE_LIMIT=0, no limit. */
    private readonly limiter: RateLimiter | null,
  ) {}

  get inviteOnly(): boolean {
    return this.joinCode !== undefined;
  }

  codeOk(code: unknown): boolean {
    return this.joinCode === undefined || sameSecret(code, this.joinCode);
  }

  /** Counts one attempt from `ip`; false when it is over the limit. */
  async allow(ip: string): Promise<boolean> {
    return this.limiter ? this.limiter.take(ip) : true;
  }

  async attempt(input: LoginInput, ip: string): Promise<LoginResult> {
    const typed = typeof input.name === "string" ? input.name : "";
    if (!(await this.allow(ip))) return { ok: false, code: ErrorCodes.rateLimited, name: typed };
    if (input.link !== undefined) return this.sessions.redeemLink(input.link, ip);
    if (!this.codeOk(input.code)) return { ok: false, code: ErrorCodes.invalidCode, name: typed };
    return this.sessions.login(input.name, input.avatar, ip);
  }
}
