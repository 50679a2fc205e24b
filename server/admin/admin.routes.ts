import express, { type Request, type Router } from "express";
import { ErrorCodes, type User } from "../../common/events";
import { CATALOGUES } from "../../common/i18n";
import { sentenceParts } from "../../common/sentence";
import { jsonBody } from "../auth/auth.routes";
import { sameSecret } from "../auth/logins";
import { clientIp, sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import { renderConfirm, renderLogin, requestLang } from "../pages/render";

/**
 * Becoming an admin with ADMIN_CODE: `POST /api/admin` for bots, and the claim link
 * `/admin/<code>` (logged at start-up) whose page has a button, for browsers. Wrong codes count
 * against the login rate limit, so the code cannot be guessed quickly either.
 */
export function adminRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { config, sessions, logins } = deps;

  /** The caller as an admin, or why not. */
  async function claim(req: Request, userId: string, code: unknown) {
    if (!(await logins.allow(clientIp(req)))) return ErrorCodes.rateLimited;
    if (!sameSecret(code, config.adminCode)) return ErrorCodes.invalidCode;
    const user = await sessions.makeAdmin(userId);
    if (!user) return ErrorCodes.unauthorized;
    deps.adminGranted(user);
    return user;
  }

  router.post("/api/admin", jsonBody, async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const body = req.body as Record<string, unknown> | null;
    const result = await claim(req, session.user.id, body?.code);
    if (typeof result === "string") return sendError(res, result);
    res.json({ user: result });
  });

  const page = (req: Request, user: User, status: number, error?: string) => {
    const t = CATALOGUES[requestLang(req)];
    return [
      status,
      {
        title: t.adminTitle,
        intro: sentenceParts(t.adminIntro, user.name),
        button: [{ text: t.adminButton }],
        action: `/admin/${encodeURIComponent(String(req.params.code))}`,
        error,
      },
    ] as const;
  };

  router.get("/admin/:code", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) {
      return renderLogin(req, res, 401, {
        error: ErrorCodes.unauthorized,
        inviteOnly: logins.inviteOnly,
      });
    }
    renderConfirm(req, res, ...page(req, session.user, 200));
  });

  router.post("/admin/:code", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return res.redirect(303, "/");
    const result = await claim(req, session.user.id, req.params.code);
    if (typeof result !== "string") return res.redirect(303, "/chat");
    const t = CATALOGUES[requestLang(req)];
    const message = result === ErrorCodes.invalidCode ? t.adminWrongCode : t.errors[result];
    renderConfirm(
      req,
      res,
      ...page(req, session.user, result === "rate_limited" ? 429 : 403, message),
    );
  });

  return router;
}
