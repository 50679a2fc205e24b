// The account of the caller (v3): what it is (guest or secured, password, passkeys), its
// built-in picture, its password; and an admin's recovery link for a user who lost every
// device and credential.
import express, { type Router } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import { ErrorCodes } from "../../common/events";
import { checkNickname } from "../../common/names";
import { jsonBody, refreshBrowserSession } from "../auth/auth.routes";
import { isAvatarId } from "../auth/avatars";
import { clientIp, sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import { requestScheme } from "../http/origin";
import { hashPassword, PASSWORD_MAX, weakPassword } from "./passwords";

/** A recovery link lasts a day: long enough to reach someone who lost every device. */
export const RECOVERY_TTL_MS = 24 * 60 * 60 * 1000;

// Any object: what is wrong with `password` is `weak_password`, whatever its shape.
const PasswordBody = z.object({
  password: z.unknown().optional(),
  current: z.unknown().optional(),
});
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function accountRoutes(deps: HttpDeps, log: Logger): Router {
  const router = express.Router();
  const { sessions, accounts, logins } = deps;

  router.get("/api/account", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const [status, passkeys] = await Promise.all([
      accounts.status(session.user.id),
      deps.passkeys.of(session.user.id),
    ]);
    refreshBrowserSession(deps, req, res, { secured: status?.secured ?? false });
    res.set("Cache-Control", "no-store");
    res.json({
      user: session.user,
      secured: status?.secured ?? false,
      password: status?.password ?? false,
      passkeys: passkeys.map(({ id, name, createdAt, lastUsedAt }) => ({
        id,
        name,
        createdAt,
        lastUsedAt,
      })),
    });
  });

  // A built-in picture; uploaded ones go through POST /api/account/avatar.
  router.patch("/api/account", jsonBody, async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    if (!isObject(req.body)) return sendError(res, ErrorCodes.badRequest);
    const { avatar } = req.body;
    if (!isAvatarId(avatar)) return sendError(res, ErrorCodes.invalidAvatar);
    const user = await sessions.setAvatar(session.user.id, avatar);
    if (!user) return sendError(res, ErrorCodes.unauthorized);
    // An uploaded picture no longer shown is not kept (nor served).
    await deps.avatars.removeOthers(user.id, null);
    deps.userChanged(user);
    res.json({ user });
  });

  // Setting a password secures the user; changing one needs the current one, which is a
  // credential check like a login (the per-address limit and the per-account failures).
  router.post("/api/account/password", jsonBody, async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const body = PasswordBody.safeParse(req.body);
    if (!isObject(req.body) || !body.success) return sendError(res, ErrorCodes.badRequest);
    const { password, current } = body.data;
    if (typeof password !== "string" || password.length > PASSWORD_MAX || weakPassword(password)) {
      return sendError(res, ErrorCodes.weakPassword);
    }
    const userId = session.user.id;
    const stored = await accounts.passwordHash(userId);
    if (stored !== null) {
      if (!(await logins.allow(clientIp(req)))) return sendError(res, ErrorCodes.rateLimited);
      const verdict = await logins.checks.password(userId, stored, current);
      if (verdict === "locked") return sendError(res, ErrorCodes.rateLimited);
      if (verdict !== "ok") return sendError(res, ErrorCodes.badCredentials, 403);
    }
    if (!(await accounts.setPassword(userId, await hashPassword(password)))) {
      return sendError(res, ErrorCodes.unauthorized);
    }
    refreshBrowserSession(deps, req, res, { secured: true });
    res.status(204).end();
  });

  // An admin's one-time link (valid a day) that signs in as a user who lost everything.
  router.post("/api/admin/recovery", jsonBody, async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    if (!session.user.admin) return sendError(res, ErrorCodes.forbidden);
    if (!isObject(req.body)) return sendError(res, ErrorCodes.badRequest);
    const name = checkNickname(req.body.name);
    const target = name.ok
      ? ((await accounts.byName(name.key))?.user ?? (await sessions.holderOf(name.key)))
      : null;
    if (!target) return sendError(res, ErrorCodes.notFound);
    const { code, expiresAt } = await sessions.createLink(target.id, RECOVERY_TTL_MS);
    log.info({ admin: session.user.id, user: target.id }, "admin action: recovery link");
    const url = `${requestScheme(req, deps.config.trustProxy)}://${req.headers.host}/link/${code}`;
    res.set("Cache-Control", "no-store");
    res.status(201).json({ code, url, expiresAt });
  });

  return router;
}
