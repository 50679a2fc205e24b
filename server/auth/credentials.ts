import type { IncomingMessage } from "node:http";
import cookie from "cookie";
import cookieParser from "cookie-parser";
import type { Request, Response } from "express";

export const SESSION_COOKIE = "chat_sid";

/** The session token carried by a request: `Authorization: Bearer`, else the signed cookie. */
export function tokenFromRequest(req: IncomingMessage, secret: string): string | null {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    return match ? match[1] : null;
  }
  return tokenFromCookieHeader(req.headers.cookie, secret);
}

export function tokenFromCookieHeader(header: string | undefined, secret: string): string | null {
  if (!header) return null;
  const raw = cookie.parse(header)[SESSION_COOKIE];
  // Only a correctly signed value counts: cookie-parser passes unsigned values through.
  if (!raw?.startsWith("s:")) return null;
  const value = cookieParser.signedCookie(raw, secret);
  return typeof value === "string" && value.length > 0 ? value : null;
}

/**
 * The browser's session cookie: signed, HttpOnly, SameSite=Lax, Secure over HTTPS. It lives as
 * long as its session can without a connection (a guest's 24 hours, a secured user's
 * SESSION_TTL_DAYS), and is set again on each chat page load, so it slides with the session.
 */
export function setSessionCookie(
  req: Request,
  res: Response,
  token: string,
  maxAgeMs: number,
): void {
  res.cookie(SESSION_COOKIE, token, {
    signed: true,
    httpOnly: true,
    sameSite: "lax",
    secure: req.secure,
    path: "/",
    maxAge: maxAgeMs,
  });
}
