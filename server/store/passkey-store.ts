/** One WebAuthn credential of a user (a passkey), as @simplewebauthn needs it back. */
export type PasskeyRecord = {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  name: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  createdAt: number;
  lastUsedAt: number | null;
};

/**
 * Passkeys and the one-time WebAuthn challenges that register or use them, on the same
 * database as the users (so a challenge issued by one node is redeemed on another).
 * Implementations: SQLite and PostgreSQL.
 */
export interface PasskeyStore {
  /** Stores a passkey and marks its user secured; false when the user is gone or the id is taken. */
  add(passkey: PasskeyRecord): Promise<boolean>;
  get(id: string): Promise<PasskeyRecord | null>;
  /** A user's passkeys, oldest first. */
  of(userId: string): Promise<PasskeyRecord[]>;
  /**
   * Records a sign-in: the new counter and the time. False (nothing changed) when the stored
   * counter is not below `counter`, unless both are 0 (authenticators without a counter).
   */
  use(id: string, counter: number, now: number): Promise<boolean>;
  /** Removes one of the user's passkeys, never its last credential (passkeys and password). */
  remove(userId: string, id: string): Promise<"removed" | "not_found" | "last_credential">;
  saveChallenge(challenge: string, userId: string | null, expiresAt: number): Promise<void>;
  /** Uses up a challenge: its user (null for a sign-in), or undefined when unknown, used or expired. */
  takeChallenge(challenge: string, now: number): Promise<{ userId: string | null } | undefined>;
}
