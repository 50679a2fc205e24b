import type { User } from "../../common/events";

/** One device's login: a session of a user, found by the SHA-256 of its token. */
export type SessionRecord = {
  id: string;
  user: User;
  nameKey: string;
  tokenHash: string;
  /** The address the session logged in from (for bans). */
  ip: string;
  createdAt: number;
  lastSeenAt: number;
  /** (v3) The user has a password or a passkey: kept with no session, longer sessions. */
  secured: boolean;
};

export type NewUser = { user: User; nameKey: string; skeleton: string; createdAt: number };
export type NewSession = Omit<SessionRecord, "user" | "nameKey" | "secured"> & { userId: string };

/** What a removal ended: sessions, and users whose last session it was (nickname released). */
export type Ended = { sessionIds: string[]; userIds: string[] };

export const NOTHING_ENDED: Ended = Object.freeze({ sessionIds: [], userIds: [] }) as Ended;

/**
 * Users, their sessions (one per device) and one-time device link codes. A guest exists while
 * it has a session; it holds its nickname (both its key and its confusable skeleton) while
 * one of them was seen since `heldSince`. A secured user (v3: it has a password or a passkey)
 * is kept, and holds its nickname, with no session at all; its sessions live while seen since
 * `securedSince` (SESSION_TTL_DAYS; `heldSince` when not given). Logout, kick and expiry end
 * its sessions, never the user. Implementations: SQLite and PostgreSQL.
 */
export interface SessionStore {
  /**
   * Creates a user with its first session unless a live user holds the nickname key or the
   * skeleton. Stale holders are removed in the same step and reported in `ended`.
   */
  createUser(
    user: NewUser,
    session: NewSession,
    heldSince: number,
  ): Promise<{ outcome: "created" | "taken"; ended: Ended }>;
  /** Another session for an existing user; false when the user is gone. */
  addSession(session: NewSession): Promise<boolean>;
  findSessionByToken(
    tokenHash: string,
    heldSince: number,
    securedSince?: number,
  ): Promise<SessionRecord | null>;
  /** The user holding a nickname key: a secured one, or a guest with a live session. */
  findUserByName(nameKey: string, heldSince: number): Promise<User | null>;
  /** Marks sessions as seen now (they have a connected socket). */
  touchSessions(sessionIds: string[], now: number): Promise<void>;
  /** Ends one session; a guest too when it was its last. */
  deleteSession(sessionId: string): Promise<Ended>;
  /** Ends every session of a user, and the user unless it is secured. */
  deleteUser(userId: string): Promise<Ended>;
  /** Ends sessions not seen since their horizon, and guests left without one. */
  expireSessions(heldSince: number, securedSince?: number): Promise<Ended>;
  /** Makes a user an admin; null when it is gone. */
  setAdmin(userId: string): Promise<User | null>;
  /** The addresses a user's sessions logged in from. */
  sessionIps(userId: string): Promise<string[]>;

  createLinkCode(codeHash: string, userId: string, expiresAt: number): Promise<void>;
  /** The live user a code links to, without using it up. */
  peekLinkCode(codeHash: string, now: number): Promise<User | null>;
  /** Uses up a code: the user it links to, or null when unknown, used or expired. */
  redeemLinkCode(codeHash: string, now: number): Promise<string | null>;
}

/** Nickname (by skeleton) and address bans, until a time. */
export interface BanStore {
  ban(skeleton: string, ips: string[], until: number): Promise<void>;
  unban(skeleton: string): Promise<boolean>;
  isBanned(skeleton: string | null, ip: string, now: number): Promise<boolean>;
}

export type UserRow = {
  id: string;
  name: string;
  name_key: string;
  avatar: string;
  admin: number | boolean;
  secured?: number | boolean;
};
export type SessionRow = UserRow & {
  session_id: string;
  token_hash: string;
  ip: string;
  created_at: number | string;
  last_seen_at: number | string;
};

export function userFromRow(row: UserRow): User {
  const user: User = { id: row.id, name: row.name, avatar: row.avatar };
  if (row.admin === 1 || row.admin === true) user.admin = true;
  return user;
}

export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    id: row.session_id,
    user: userFromRow(row),
    nameKey: row.name_key,
    tokenHash: row.token_hash,
    ip: row.ip,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    secured: row.secured === 1 || row.secured === true,
  };
}

/** Columns of a SessionRow, from `sessions s JOIN users u`. */
export const SESSION_COLUMNS =
  "s.id AS session_id, s.token_hash, s.ip, s.created_at, s.last_seen_at, u.id, u.name, u.name_key, u.avatar, u.admin, u.secured";
