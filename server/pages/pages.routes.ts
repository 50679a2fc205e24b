import express, { type Router } from "express";
import { refreshBrowserSession } from "../auth/auth.routes";
import { sessionOf, type HttpDeps } from "../http/deps";
import { renderChat, renderLogin } from "./render";

export function pageRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { logins } = deps;

  router.get("/", async (req, res) => {
    if (await sessionOf(deps, req)) return res.redirect(303, "/chat");
    res.set("Cache-Control", "no-store");
    renderLogin(req, res, 200, { inviteOnly: logins.inviteOnly });
  });

  // A share link: the login page with the invite code filled in.
  router.get("/join/:code", async (req, res) => {
    if (await sessionOf(deps, req)) return res.redirect(303, "/chat");
    res.set("Cache-Control", "no-store");
    const code = req.params.code;
    renderLogin(req, res, 200, {
      inviteOnly: logins.inviteOnly,
      code,
      codeOk: logins.codeOk(code),
    });
  });

  router.get("/chat", async (req, res) => {
    const current = await sessionOf(deps, req);
    if (!current) return res.redirect(303, "/");
    // The page carries who is logged in: never cache it.
    res.set("Cache-Control", "no-store");
    refreshBrowserSession(deps, req, res, current);
    renderChat(req, res, current.user);
  });

  return router;
}
