import express, { type Router } from "express";
import type { Config } from "../config/config";
import { tokenFromRequest } from "../auth/credentials";
import type { SessionService } from "../auth/session-service";
import { renderChat, renderLogin } from "./render";

export function pageRoutes(config: Config, sessions: SessionService): Router {
  const router = express.Router();
  const session = (req: express.Request) =>
    sessions.authenticate(tokenFromRequest(req, config.sessionSecret));

  router.get("/", async (req, res) => {
    if (await session(req)) return res.redirect(303, "/chat");
    res.set("Cache-Control", "no-store");
    renderLogin(req, res, 200, {});
  });

  router.get("/chat", async (req, res) => {
    const current = await session(req);
    if (!current) return res.redirect(303, "/");
    // The page carries who is logged in: never cache it.
    res.set("Cache-Control", "no-store");
    renderChat(req, res, current.user);
  });

  return router;
}
