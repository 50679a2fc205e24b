import express, { type Router } from "express";
import type { Config } from "../config/config";
import { tokenFromRequest } from "../auth/credentials";
import type { SessionService } from "../auth/session-service";
import { renderChat, renderLogin } from "./render";

export function pageRoutes(config: Config, sessions: SessionService): Router {
  const router = express.Router();
  const loggedIn = async (req: express.Request) =>
    (await sessions.authenticate(tokenFromRequest(req, config.sessionSecret))) !== null;

  router.get("/", async (req, res) => {
    if (await loggedIn(req)) return res.redirect(303, "/chat");
    renderLogin(req, res, 200, {});
  });

  router.get("/chat", async (req, res) => {
    if (!(await loggedIn(req))) return res.redirect(303, "/");
    res.set("Cache-Control", "no-store");
    renderChat(req, res);
  });

  return router;
}
