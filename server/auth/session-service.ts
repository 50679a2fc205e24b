import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import type { ErrorCode, User } from "../../common/events";
import { ErrorCodes } from "../../common/events";
import { checkNickname } from "../../common/names";
import type { AccountStore } from "../store/account-store";
import type { BanStore, Ended, SessionRecord, SessionStore } from "../store/session-types";
import { isAvatarId } from "./avatars";
import { skeletonKey } from "./skeleton";

export type LoginResult =
  | { ok: true; token: string; user: User; sessionId: string; secured: boolean }
  | { ok: false; code: ErrorCode; name: string };

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

const newToken = () => crypto.randomBytes(32).toString("base64url");
/**
 * A new user's id: 96 random bits, 16 characters. Ids are public and opaque; every `online`
 * and `presence` entry carries one, and those lists reach every socket, so a short id is
 * about a quarter fewer bytes than a UUID's 36 (users from before keep theirs).
 */
export const newUserId = () => crypto.randomBytes(12).toString("base64url");

/**
 * How long a nickname's holder is taken from memory. Ended users are forgotten at once (on
 * every node, see `forgetHolder`); the bound only covers a lost cross-node notice.
 */
const HOLDER_CACHE_MS = 10_000;

/**
 * Users and their sessions, one per device. A guest (and its nickname, and its admin flag)
 * lives while one of its sessions does: until logout, kick, or `ttlMs` without a connection.
 * A secured user (v3) is kept with no session; its sessions last `securedTtlMs`. Every login
 * by nickname creates a fresh guest; a link code, a password or a passkey adds a session to
 * an existing user.
 * Emits "sessionEnded" (sessionId) for each ended session, so its sockets can be dropped, and
 * "ended" (userId) when a user's last session ended (the nickname is released).
 */
export type SessionLifetimes = {
  /** A guest's session (and nickname) after its last connection: 24 hours. */
  ttlMs: number;
  /** A secured user's session after its last connection: SESSION_TTL_DAYS. */
  securedTtlMs?: number;
  /** A device link code. */
  linkTtlMs?: number;
};

export class SessionService extends EventEmitter<{
  ended: [userId: string];
  sessionEnded: [sessionId: string];
}> {
  private readonly ttlMs: number;
  private readonly securedTtlMs: number;
  private readonly linkTtlMs: number;

  constructor(
    private readonly store: SessionStore,
    private readonly bans: BanStore,
    private readonly accounts: AccountStore,
    lifetimes: SessionLifetimes,
    /** The server's clock; tests inject one to let days pass. */
    readonly now: () => number = Date.now,
  ) {
    super();
    this.ttlMs = lifetimes.ttlMs;
    this.securedTtlMs = lifetimes.securedTtlMs ?? lifetimes.ttlMs;
    this.linkTtlMs = lifetimes.linkTtlMs ?? 10 * 60 * 1000;
  }

  /** Live nickname holders by name key (every private message and mention asks). */
  private readonly holders = new Map<string, { user: User; until: number }>();
  private readonly holderKeys = new Map<string, string>();
  /** Bumped on every forget, so a lookup that raced with it is not cached. */
  private forgets = 0;

  private heldSince(): number {
    return this.now() - this.ttlMs;
  }

  private securedSince(): number {
    return this.now() - this.securedTtlMs;
  }

  /** How long a session's cookie lives: as long as the session can without a connection. */
  cookieMaxAgeMs(secured: boolean): number {
    return secured ? this.securedTtlMs : this.ttlMs;
  }

  private announce(ended: Ended): void {
    for (const id of ended.userIds) this.forgetHolder(id);
    for (const id of ended.sessionIds) this.emit("sessionEnded", id);
    for (const id of ended.userIds) this.emit("ended", id);
  }

  /** Drops a user from the holder cache: its last session ended here or on another node. */
  forgetHolder(userId: string): void {
    this.forgets++;
    const key = this.holderKeys.get(userId);
    if (key === undefined) return;
    this.holderKeys.delete(userId);
    if (this.holders.get(key)?.user.id === userId) this.holders.delete(key);
  }

  private newSession(userId: string, ip: string) {
    const token = newToken();
    const now = this.now();
    const id = crypto.randomUUID();
    return {
      token,
      record: { id, userId, tokenHash: hashToken(token), ip, createdAt: now, lastSeenAt: now },
    };
  }

  async login(rawName: unknown, avatar: unknown, ip = ""): Promise<LoginResult> {
    const typed = typeof rawName === "string" ? rawName : "";
    const name = checkNickname(rawName);
    if (!name.ok) return { ok: false, code: ErrorCodes.invalidName, name: typed };
    if (!isAvatarId(avatar)) return { ok: false, code: ErrorCodes.invalidAvatar, name: typed };
    const skeleton = skeletonKey(name.name);
    if (await this.bans.isBanned(skeleton, ip, this.now())) {
      return { ok: false, code: ErrorCodes.banned, name: typed };
    }
    const user: User = { id: newUserId(), name: name.name, avatar };
    const { token, record } = this.newSession(user.id, ip);
    const { outcome, ended } = await this.store.createUser(
      { user, nameKey: name.key, skeleton, createdAt: record.createdAt },
      record,
      this.heldSince(),
    );
    this.announce(ended);
    if (outcome === "taken") return { ok: false, code: ErrorCodes.nameTaken, name: typed };
    return { ok: true, token, user, sessionId: record.id, secured: false };
  }

  /**
   * A new session for an existing user (a secured user signing in with its password or a
   * passkey): refused while its nickname or the address is banned.
   */
  async startSession(userId: string, ip = ""): Promise<LoginResult> {
    const refused = (code: ErrorCode, name = "") => ({ ok: false as const, code, name });
    const { token, record } = this.newSession(userId, ip);
    if (!(await this.store.addSession(record))) return refused(ErrorCodes.badCredentials);
    const session = await this.authenticate(token);
    if (!session) return refused(ErrorCodes.badCredentials);
    if (await this.bans.isBanned(skeletonKey(session.user.name), ip, this.now())) {
      await this.store.deleteSession(record.id);
      return refused(ErrorCodes.banned, session.user.name);
    }
    return { ok: true, token, user: session.user, sessionId: record.id, secured: true };
  }

  /** Sets a user's picture (a built-in avatar id or `custom:<id>`): the updated user. */
  async setAvatar(userId: string, avatar: string): Promise<User | null> {
    const user = await this.accounts.setAvatar(userId, avatar);
    this.forgetHolder(userId); // its User now shows the new picture
    return user;
  }

  /** A one-time code that adds a device to this user (valid `ttlMs`, by default 10 minutes). */
  async createLink(
    userId: string,
    ttlMs = this.linkTtlMs,
  ): Promise<{ code: string; expiresAt: number }> {
    const code = crypto.randomBytes(18).toString("base64url");
    const expiresAt = this.now() + ttlMs;
    await this.store.createLinkCode(hashToken(code), userId, expiresAt);
    return { code, expiresAt };
  }

  /** The user a link code would log in as, without using it up (for the link page). */
  async peekLink(code: unknown): Promise<User | null> {
    if (!isCodeShaped(code)) return null;
    return this.store.peekLinkCode(hashToken(code), this.now());
  }

  /** Uses up a link code: a new session for its user; `link_expired` or `banned` otherwise. */
  async redeemLink(code: unknown, ip = ""): Promise<LoginResult> {
    const expired = { ok: false as const, code: ErrorCodes.linkExpired, name: "" };
    if (!isCodeShaped(code)) return expired;
    if (await this.bans.isBanned(null, ip, this.now())) {
      return { ok: false, code: ErrorCodes.banned, name: "" };
    }
    const userId = await this.store.redeemLinkCode(hashToken(code), this.now());
    if (!userId) return expired;
    const { token, record } = this.newSession(userId, ip);
    if (!(await this.store.addSession(record))) return expired;
    const session = await this.authenticate(token);
    if (!session) return expired;
    return { ok: true, token, user: session.user, sessionId: record.id, secured: session.secured };
  }

  async authenticate(token: unknown): Promise<SessionRecord | null> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
    return this.store.findSessionByToken(hashToken(token), this.heldSince(), this.securedSince());
  }

  /** The live holder of a nickname, if any. */
  async holderOf(nameKey: string): Promise<User | null> {
    const now = this.now();
    const hit = this.holders.get(nameKey);
    if (hit && hit.until > now) return hit.user;
    const forgets = this.forgets;
    const user = await this.store.findUserByName(nameKey, this.heldSince());
    if (user && forgets === this.forgets) {
      this.holders.set(nameKey, { user, until: now + HOLDER_CACHE_MS });
      this.holderKeys.set(user.id, nameKey);
    } else if (!user) this.holders.delete(nameKey);
    return user;
  }

  /** Ends one device's session (and the user with its last one). */
  async endSession(sessionId: string): Promise<boolean> {
    const ended = await this.store.deleteSession(sessionId);
    this.announce(ended);
    return ended.sessionIds.length > 0;
  }

  /** Ends every session of a user (logout everywhere, kick); a guest ends with them. */
  async logout(userId: string): Promise<boolean> {
    const ended = await this.store.deleteUser(userId);
    this.announce(ended);
    return ended.sessionIds.length > 0;
  }

  async touch(sessionIds: string[]): Promise<void> {
    await this.store.touchSessions(sessionIds, this.now());
  }

  /** Ends sessions idle past the TTL; returns how many. */
  async expire(): Promise<number> {
    const ended = await this.store.expireSessions(this.heldSince(), this.securedSince());
    this.announce(ended);
    return ended.sessionIds.length;
  }

  async makeAdmin(userId: string): Promise<User | null> {
    const user = await this.store.setAdmin(userId);
    this.forgetHolder(userId); // its User now says admin
    return user;
  }

  sessionIps(userId: string): Promise<string[]> {
    return this.store.sessionIps(userId);
  }
}

function isCodeShaped(code: unknown): code is string {
  return typeof code === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(code);
}
