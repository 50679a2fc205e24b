import type { User } from "../../common/events";

/** A secured user as sign-in needs it: who it is and its password hash, if it set one. */
export type AccountRecord = { user: User; passwordHash: string | null };

/**
 * Accounts that last (v3): a user with a password or a passkey is secured, kept with no
 * session, and holds its nickname for good. This store keeps passwords (as hashes only) and
 * failed credential checks per account; passkeys are in PasskeyStore, uploaded pictures in
 * AvatarStore, all on the same database. Implementations: SQLite and PostgreSQL.
 */
export interface AccountStore {
  /** The secured user holding a nickname key, if any (a guest is not an account). */
  byName(nameKey: string): Promise<AccountRecord | null>;
  /** Whether the user is secured, and whether it has a password. */
  status(userId: string): Promise<{ secured: boolean; password: boolean } | null>;
  passwordHash(userId: string): Promise<string | null>;
  /** Sets (or replaces) the password hash and marks the user secured; false when it is gone. */
  setPassword(userId: string, hash: string): Promise<boolean>;
  /** Sets a user's avatar (a built-in id or `custom:<id>`); the updated user, or null. */
  setAvatar(userId: string, avatar: string): Promise<User | null>;
  /** Counts one failed credential check against an account. */
  recordFailure(userId: string, at: number): Promise<void>;
  /** Failed checks since `since`; older ones may be dropped. */
  failuresSince(userId: string, since: number): Promise<number>;
}
