import type { IncomingMessage } from "node:http";

/**
 * A request whose browser says it came from another site (`Sec-Fetch-Site: cross-site`) is
 * refused whatever its Origin says. Otherwise its Origin is allowed when absent, listed in ALLOWED_ORIGINS, or the server's own
 * origin: the scheme and Host header the request came to (behind a trusted proxy, the
 * forwarded scheme).
 */
export function originAllowed(
  req: IncomingMessage,
  allowedOrigins: readonly string[],
  trustProxy: boolean,
): boolean {
  if (req.headers["sec-fetch-site"] === "cross-site") return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  const host = req.headers.host;
  if (!host) return false;
  return origin === `${requestScheme(req, trustProxy)}://${host}`;
}

export function requestScheme(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-proto"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first === "http" || first === "https") return first;
  }
  return (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
}
