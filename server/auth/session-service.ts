import crypto from "node:crypto";
import { EventEmitter } from "node:events";
import type { ErrorCode, User } from "../../common/events";
import { ErrorCodes } from "../../common/events";
import { checkNickname } from "../../common/names";
import type { ChatStore, SessionRecord } from "../store/types";
import { isAvatarId } from "./avatars";

export type LoginResult =
  { ok: true; token: string; user: User } | { ok: false; code: ErrorCode; name: string };

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

/**
 * Logins and the nicknames they hold. A session (and its nickname) lives until logout or
 * `ttlMs` without any connection; every login gets a fresh user id.
 * Emits "ended" (userId) so open sockets of an ended session can be dropped.
 */
export class SessionService extends EventEmitter<{ ended: [userId: string] }> {
  constructor(
    private readonly store: ChatStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  private heldSince(): number {
    return this.now() - this.ttlMs;
  }

  async login(rawName: unknown, avatar: unknown): Promise<LoginResult> {
    const typed = typeof rawName === "string" ? rawName : "";
    const name = checkNickname(rawName);
    if (!name.ok) return { ok: false, code: ErrorCodes.invalidName, name: typed };
    if (!isAvatarId(avatar)) return { ok: false, code: ErrorCodes.invalidAvatar, name: typed };
    const token = crypto.randomBytes(32).toString("base64url");
    const user: User = { id: crypto.randomUUID(), name: name.name, avatar };
    const now = this.now();
    const record: SessionRecord = {
      user,
      nameKey: name.key,
      tokenHash: hashToken(token),
      createdAt: now,
      lastSeenAt: now,
    };
    const outcome = await this.store.createSession(record, this.heldSince());
    if (outcome === "taken") return { ok: false, code: ErrorCodes.nameTaken, name: typed };
    return { ok: true, token, user };
  }

  async authenticate(token: unknown): Promise<SessionRecord | null> {
    if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
    return this.store.findSessionByToken(hashToken(token), this.heldSince());
  }

  /** The live holder of a nickname, if any. */
  async holderOf(nameKey: string): Promise<User | null> {
    const session = await this.store.findSessionByName(nameKey, this.heldSince());
    return session ? session.user : null;
  }

  async logout(userId: string): Promise<boolean> {
    const existed = await this.store.deleteSession(userId);
    this.emit("ended", userId);
    return existed;
  }

  /** Ends sessions idle past the TTL; returns how many. */
  async expire(): Promise<number> {
    const ended = await this.store.expireSessions(this.heldSince());
    for (const id of ended) this.emit("ended", id);
    return ended.length;
  }
}
