// Checks of an account's credentials: at most MAX_FAILURES failed ones per account in
// FAILURE_WINDOW_MS from anywhere (the count is in the database, so every node shares it),
// on top of the per-address login limit.
import type { AccountStore } from "../store/account-store";
import { hashPassword, PASSWORD_MAX, verifyPassword } from "./passwords";

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export type Verdict = "ok" | "missing" | "wrong" | "locked";

/** Compared against when an account has no password, so a check takes as long either way. */
let decoy: Promise<string> | undefined;

export class CredentialChecks {
  constructor(
    private readonly accounts: AccountStore,
    private readonly now: () => number,
  ) {}

  /** Whether the account had MAX_FAILURES failed checks within the window. */
  async locked(userId: string): Promise<boolean> {
    const since = this.now() - FAILURE_WINDOW_MS;
    return (await this.accounts.failuresSince(userId, since)) >= MAX_FAILURES;
  }

  /** Counts a failed check of another kind (a passkey) against the account. */
  failed(userId: string): Promise<void> {
    return this.accounts.recordFailure(userId, this.now());
  }

  /**
   * Checks a password given for an account: `missing` (none given: nothing was checked, so
   * nothing is counted), `wrong` (counted), `locked` (too many failures: not checked at all).
   */
  async password(userId: string, hash: string | null, given: unknown): Promise<Verdict> {
    if (typeof given !== "string" || given.length === 0) return "missing";
    if (await this.locked(userId)) return "locked";
    decoy ??= hashPassword("decoy password, never anyone's");
    const ok =
      given.length <= PASSWORD_MAX && (await verifyPassword(given, hash ?? (await decoy))) && hash;
    if (ok) return "ok";
    await this.failed(userId);
    return "wrong";
  }
}
