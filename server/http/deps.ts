import type { Request } from "express";
import type { User } from "../../common/events";
import { tokenFromRequest } from "../auth/credentials";
import type { Logins } from "../auth/logins";
import type { SessionService } from "../auth/session-service";
import type { Config } from "../config/config";
import type { Lookup } from "../push/endpoint-check";
import type { PushStore } from "../store/push-store";
import type { AccountStore } from "../store/account-store";
import type { PasskeyStore } from "../store/passkey-store";
import type { AvatarStore } from "../store/avatar-store";
import type { ChatMetrics } from "../metrics/metrics";
import type { SessionRecord } from "../store/session-types";
import type { UploadDeps } from "../uploads/uploads.routes";

/** What the HTTP routes need. */
import type { RateLimiter } from "../chat/rate-limiter";

export type HttpDeps = {
  config: Config;
  sessions: SessionService;
  logins: Logins;
  /** Device link codes a user may ask for (DEVICE_LINK_RATE_LIMIT a minute). */
  deviceLinks: RateLimiter;
  /** Push subscriptions, and how many a user may post (PUSH_SUBSCRIPTION_RATE_LIMIT a minute). */
  push: PushStore;
  pushSubscriptions: RateLimiter;
  /** DNS for the push endpoint check (tests may stand in). */
  pushLookup?: Lookup;
  /** Called after a user became an admin, to update its connected sockets on every node. */
  adminGranted: (user: User) => void;
  /** (v3) Called after a user changed its picture: its sockets, and the `user` event to all. */
  userChanged: (user: User) => void;
  /** (v3) Uploaded profile pictures. */
  avatars: AvatarStore;
  /** (v3) Secured users: passwords and failed credential checks. */
  accounts: AccountStore;
  /** (v3) Passkeys and their WebAuthn challenges. */
  passkeys: PasskeyStore;

  /** The server's clock (tests inject one). */
  now: () => number;
  /** Files: uploading, and serving them to those who may read them. */
  uploads: UploadDeps;
  /** GET /metrics. */
  metrics: ChatMetrics;
};

/** The live session of a request's cookie or bearer token. */
export function sessionOf(deps: HttpDeps, req: Request): Promise<SessionRecord | null> {
  return deps.sessions.authenticate(tokenFromRequest(req, deps.config.sessionSecret));
}

/** The request's address (the forwarded one behind a trusted proxy: Express's `trust proxy`). */
export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "";
}
