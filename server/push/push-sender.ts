// One Web Push request: `web-push` encrypts the payload (RFC 8291 aes128gcm) and signs the
// VAPID JWT (RFC 8292); we make the request ourselves, so the connection goes only to a
// public address (or an allowlisted origin) and every attempt has a deadline.
import crypto from "node:crypto";
import http from "node:http";
import https from "node:https";
import webpush from "web-push";
import type { Config } from "../config/config";
import type { StoredSubscription } from "../store/push-store";
import { endpointAllowed, guardedLookup, parseEndpoint, type Lookup } from "./endpoint-check";
import type { PushPayload } from "./payload";

/** The push service's answer: its status, or why there was none. */
export type SendResult =
  { status: number; retryAfterMs?: number } | { error: "refused" | "timeout" | "network" };

/** How long the push service keeps an undelivered message (a day: chat is not mail). */
const TTL_SECONDS = 24 * 60 * 60;

export class PushSender {
  constructor(
    private readonly config: Pick<Config, "vapid" | "pushEndpointAllowlist">,
    private readonly timeoutMs = 10_000,
    private readonly lookup?: Lookup,
  ) {}

  async send(sub: StoredSubscription, payload: PushPayload): Promise<SendResult> {
    const allowlist = this.config.pushEndpointAllowlist;
    const url = parseEndpoint(sub.endpoint, allowlist);
    if (!url || !(await endpointAllowed(sub.endpoint, allowlist, this.lookup))) {
      return { error: "refused" };
    }
    const { vapid } = this.config;
    const details = webpush.generateRequestDetails(
      { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      JSON.stringify(payload),
      {
        vapidDetails: vapid,
        TTL: TTL_SECONDS,
        contentEncoding: "aes128gcm",
        urgency: "high",
        // The push service replaces a waiting message of the same conversation.
        topic: crypto.createHash("sha256").update(payload.tag).digest("base64url").slice(0, 32),
      },
    );
    const trusted = allowlist.includes(url.origin);
    return this.request(url, details.headers, details.body as Buffer, trusted);
  }

  private request(
    url: URL,
    headers: Record<string, string | number>,
    body: Buffer,
    trusted: boolean,
  ): Promise<SendResult> {
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: SendResult) => {
        if (done) return;
        done = true;
        clearTimeout(deadline);
        resolve(result);
      };
      const req = client.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "Content-Length": body.length },
          // Untrusted names are resolved again here, and refused if they now point inside.
          ...(trusted ? {} : { lookup: guardedLookup(this.lookup) }),
          agent: false,
        },
        (res) => {
          res.resume();
          res.on("end", () => finish({ status: res.statusCode ?? 0, ...retryAfter(res) }));
          res.on("error", () => finish({ error: "network" }));
        },
      );
      const deadline = setTimeout(() => {
        finish({ error: "timeout" });
        req.destroy();
      }, this.timeoutMs);
      req.on("error", (err: NodeJS.ErrnoException) =>
        finish({ error: err.code === "EPUSHBLOCKED" ? "refused" : "network" }),
      );
      req.end(body);
    });
  }
}

function retryAfter(res: http.IncomingMessage): { retryAfterMs?: number } {
  const seconds = Number(res.headers["retry-after"]);
  return Number.isFinite(seconds) && seconds > 0 ? { retryAfterMs: seconds * 1000 } : {};
}
