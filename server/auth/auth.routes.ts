import express, { type Request, type Response, type Router } from "express";
import { ErrorCodes } from "../../common/events";
import { clientIp, sessionOf, type HttpDeps } from "../http/deps";
import { sendError, statusOf } from "../http/errors";
import { renderLogin } from "../pages/render";
import { AVATARS } from "./avatars";
import { SESSION_COOKIE, setSessionCookie, tokenFromRequest } from "./credentials";
import { LOGIN_WINDOW_MS } from "./logins";
import type { LoginResult } from "./session-service";

export const jsonBody = express.json({ limit: "16kb", type: () => true });
const form = express.urlencoded({ extended: false, limit: "16kb" });

/** A refused login's headers: 429 says when to come back. */
export function refusalHeaders(res: Response, result: LoginResult): void {
  if (!result.ok && result.code === ErrorCodes.rateLimited) {
    res.set("Retry-After", String(LOGIN_WINDOW_MS / 1000));
  }
}

/** Gives the browser its session cookie, as long-lived as the session (guest or secured). */
export function setBrowserSession(
  deps: HttpDeps,
  req: Request,
  res: Response,
  result: { token: string; secured: boolean },
): void {
  setSessionCookie(req, res, result.token, deps.sessions.cookieMaxAgeMs(result.secured));
}

/**
 * Sets a cookie-carried session's cookie again with its full lifetime: each chat page load
 * slides it, and a guest that just secured its account gets the longer one.
 */
export function refreshBrowserSession(
  deps: HttpDeps,
  req: Request,
  res: Response,
  session: { secured: boolean },
): void {
  if (req.headers.authorization !== undefined) return; // a bearer token has no cookie
  const token = tokenFromRequest(req, deps.config.sessionSecret);
  if (token) setBrowserSession(deps, req, res, { token, secured: session.secured });
}

/** A browser that logs in again replaces this device's previous session. */
export async function endPreviousSession(deps: HttpDeps, req: Request): Promise<void> {
  const previous = await sessionOf(deps, req);
  if (previous) await deps.sessions.endSession(previous.id);
}

export function authRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { sessions, logins } = deps;

  router.get("/api/avatars", (_req, res) => {
    res.json({ avatars: AVATARS.map(({ id, url }) => ({ id, url })) });
  });

  router.post("/api/session", jsonBody, async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendError(res, ErrorCodes.badRequest);
    }
    const result = await logins.attempt(body as Record<string, unknown>, clientIp(req));
    refusalHeaders(res, result);
    if (!result.ok) return sendError(res, result.code);
    res.status(201).json({ token: result.token, user: result.user });
  });

  router.get("/api/session", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    res.json({ user: session.user });
  });

  router.delete("/api/session", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    await sessions.endSession(session.id);
    res.status(204).end();
  });

  router.post("/login", form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    await endPreviousSession(deps, req);
    const { name, avatar, code, password } = body;
    const result = await logins.attempt({ name, avatar, code, password }, clientIp(req));
    if (!result.ok) {
      refusalHeaders(res, result);
      return renderLogin(req, res, statusOf(result.code), {
        error: result.code,
        name: result.name,
        avatar,
        code,
        codeOk: logins.codeOk(code),
        inviteOnly: logins.inviteOnly,
        // The nickname is a secured user's: ask for its password.
        secured: result.code === ErrorCodes.badCredentials,
      });
    }
    setBrowserSession(deps, req, res, result);
    res.redirect(303, "/chat");
  });

  router.post("/logout", form, async (req, res) => {
    const session = await sessionOf(deps, req);
    const everywhere = (req.body as Record<string, unknown> | undefined)?.everywhere === "1";
    if (session && everywhere) await sessions.logout(session.user.id);
    else if (session) await sessions.endSession(session.id);
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.redirect(303, "/");
  });

  return router;
}
