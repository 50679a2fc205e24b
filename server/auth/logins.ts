import crypto from "node:crypto";
import { ErrorCodes } from "../../common/events";
import type { RateLimiter } from "../chat/rate-limiter";
import { checkNickname } from "../../common/names";
import type { CredentialChecks } from "../accounts/credential-checks";
import type { AccountRecord, AccountStore } from "../store/account-store";
import type { LoginResult, SessionService } from "./session-service";

/** LOGIN_RATE_LIMIT counts attempts in this window. */
export const LOGIN_WINDOW_MS = 60_000;

export type LoginInput = {
  name?: unknown;
  avatar?: unknown;
  code?: unknown;
  link?: unknown;
  /** (v3) The password of a secured nickname. */
  password?: unknown;
};

/** Compares secrets in constant time (hashes first, so lengths do not leak either). */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const hash = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(hash(given.trim()), hash(expected));
}

/**
 * Every way in, for the form, the JSON API and device links: the per-IP login rate limit
 * first (it counts attempts, so guessing codes and passwords is limited too), then a link code
 * (which needs no JOIN_CODE), then a secured nickname's password (its owner needs no
 * JOIN_CODE either, and never sees `name_taken`), else JOIN_CODE, then the nickname rules,
 * bans and holders.
 */
export class Logins {
  constructor(
    private readonly sessions: SessionService,
    private readonly joinCode: string | undefined,
    /** null: LOGIN_RATE_LIMIT=0, no limit. */
    private readonly limiter: RateLimiter | null,
    private readonly accounts: AccountStore,
    readonly checks: CredentialChecks,
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
    const name = checkNickname(input.name);
    const account = name.ok ? await this.accounts.byName(name.key) : null;
    if (account) return this.signIn(account, input.password, ip, typed);
    if (!this.codeOk(input.code)) return { ok: false, code: ErrorCodes.invalidCode, name: typed };
    return this.sessions.login(input.name, input.avatar, ip);
  }

  /** A secured nickname: its password, or `bad_credentials` (`rate_limited` when locked). */
  private async signIn(
    account: AccountRecord,
    password: unknown,
    ip: string,
    typed: string,
  ): Promise<LoginResult> {
    const verdict = await this.checks.password(account.user.id, account.passwordHash, password);
    if (verdict === "locked") return { ok: false, code: ErrorCodes.rateLimited, name: typed };
    if (verdict !== "ok") return { ok: false, code: ErrorCodes.badCredentials, name: typed };
    return this.sessions.startSession(account.user.id, ip);
  }
}
