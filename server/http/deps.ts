import type { Request } from "express";
import type { User } from "../../common/events";
import { tokenFromRequest } from "../auth/credentials";
import type { Logins } from "../auth/logins";
import type { SessionService } from "../auth/session-service";
import type { Config } from "../config/config";
import type { Lookup } from "../push/endpoint-check";
import type { PushStore } from "../store/push-store";
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
