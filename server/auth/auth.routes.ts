import express, { type Request, type Response, type Router } from "express";
import { ErrorCodes, type ErrorCode } from "../../common/events";
import type { Config } from "../config/config";
import { renderLogin } from "../pages/render";
import { AVATARS } from "./avatars";
import { SESSION_COOKIE, tokenFromRequest } from "./credentials";
import type { SessionService } from "./session-service";

const ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.invalidName]: 400,
  [ErrorCodes.invalidAvatar]: 400,
  [ErrorCodes.badRequest]: 400,
  [ErrorCodes.nameTaken]: 409,
  [ErrorCodes.unauthorized]: 401,
};

export const ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCodes.invalidName]:
    "Nicknames are 1 to 24 letters, digits, spaces, underscores, hyphens or dots.",
  [ErrorCodes.invalidAvatar]: "Choose one of the avatars.",
  [ErrorCodes.nameTaken]: "That nickname is in use. Choose another one.",
  [ErrorCodes.badRequest]: "The request body must be a JSON object.",
  [ErrorCodes.unauthorized]: "No valid session.",
};

export function sendError(res: Response, code: ErrorCode): void {
  res
    .status(ERROR_STATUS[code] ?? 400)
    .json({ error: { code, message: ERROR_MESSAGES[code] ?? code } });
}

const COOKIE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export function authRoutes(config: Config, sessions: SessionService): Router {
  const router = express.Router();
  const json = express.json({ limit: "16kb", type: () => true });
  const form = express.urlencoded({ extended: false, limit: "16kb" });

  const currentSession = (req: Request) =>
    sessions.authenticate(tokenFromRequest(req, config.sessionSecret));

  router.get("/api/avatars", (_req, res) => {
    res.json({ avatars: AVATARS.map(({ id, url }) => ({ id, url })) });
  });

  router.post("/api/session", json, async (req, res) => {
    const body: unknown = req.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendError(res, ErrorCodes.badRequest);
    }
    const { name, avatar } = body as Record<string, unknown>;
    const result = await sessions.login(name, avatar);
    if (!result.ok) return sendError(res, result.code);
    res.status(201).json({ token: result.token, user: result.user });
  });

  router.get("/api/session", async (req, res) => {
    const session = await currentSession(req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    res.json({ user: session.user });
  });

  router.delete("/api/session", async (req, res) => {
    const session = await currentSession(req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    await sessions.logout(session.user.id);
    res.status(204).end();
  });

  router.post("/login", form, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A new login replaces the one this browser had, releasing its nickname.
    const previous = await currentSession(req);
    if (previous) await sessions.logout(previous.user.id);
    const result = await sessions.login(body.name, body.avatar);
    if (!result.ok) {
      const status = ERROR_STATUS[result.code] ?? 400;
      return renderLogin(req, res, status, {
        error: result.code,
        name: result.name,
        avatar: body.avatar,
      });
    }
    res.cookie(SESSION_COOKIE, result.token, {
      signed: true,
      httpOnly: true,
      sameSite: "lax",
      secure: req.secure,
      path: "/",
      maxAge: COOKIE_MAX_AGE_MS,
    });
    res.redirect(303, "/chat");
  });

  router.post("/logout", async (req, res) => {
    const session = await currentSession(req);
    if (session) await sessions.logout(session.user.id);
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.redirect(303, "/");
  });

  return router;
}
