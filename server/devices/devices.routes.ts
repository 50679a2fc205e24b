import express, { type Router } from "express";
import { CATALOGUES } from "../../common/i18n";
import { sentenceParts } from "../../common/sentence";
import { endPreviousSession, refusalHeaders, setBrowserSession } from "../auth/auth.routes";
import { clientIp, sessionOf, type HttpDeps } from "../http/deps";
import { sendError, statusOf } from "../http/errors";
import { requestScheme } from "../http/origin";
import { ErrorCodes } from "../../common/events";
import { renderConfirm, renderLogin, requestLang } from "../pages/render";
import { qrDataUrl } from "./qr";

/**
 * Several devices: a logged-in device asks for a one-time link code; the link's page shows a
 * button (a POST, so link previewers cannot use the code up) that logs this device in as the
 * same user.
 */
export function deviceRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { config, sessions, logins } = deps;

  router.post("/api/devices", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    if (!(await deps.deviceLinks.take(session.user.id))) {
      res.set("Retry-After", "60");
      return sendError(res, ErrorCodes.rateLimited);
    }
    const { code, expiresAt } = await sessions.createLink(session.user.id);
    const url = `${requestScheme(req, config.trustProxy)}://${req.headers.host}/link/${code}`;
    res.set("Cache-Control", "no-store");
    res.status(201).json({ code, url, expiresAt, qr: qrDataUrl(url) });
  });

  const expired = (req: express.Request, res: express.Response, status = 410) =>
    renderLogin(req, res, status, { error: ErrorCodes.linkExpired, inviteOnly: logins.inviteOnly });

  // Looking at a link code is guessing one: nobody is logged in yet, so the device-link budget
  // counts these per IP address.
  router.get("/link/:code", async (req, res) => {
    if (!(await deps.deviceLinks.take(`ip:${clientIp(req)}`))) {
      res.set("Retry-After", "60");
      return renderLogin(req, res, 429, {
        error: ErrorCodes.rateLimited,
        inviteOnly: logins.inviteOnly,
      });
    }
    const user = await sessions.peekLink(req.params.code);
    if (!user) return expired(req, res);
    const t = CATALOGUES[requestLang(req)];
    renderConfirm(req, res, 200, {
      title: t.linkTitle,
      intro: sentenceParts(t.linkIntro, user.name),
      button: sentenceParts(t.continueAs, user.name),
      action: `/link/${encodeURIComponent(req.params.code)}`,
    });
  });

  router.post("/link/:code", async (req, res) => {
    await endPreviousSession(deps, req);
    const result = await logins.attempt({ link: req.params.code }, clientIp(req));
    if (!result.ok) {
      refusalHeaders(res, result);
      if (result.code === ErrorCodes.linkExpired) return expired(req, res);
      return renderLogin(req, res, statusOf(result.code), {
        error: result.code,
        inviteOnly: logins.inviteOnly,
      });
    }
    setBrowserSession(deps, req, res, result);
    res.redirect(303, "/chat");
  });

  return router;
}
