// Uploaded profile pictures (v3): taken in like any upload (streamed, counted against the
// uploads budget, typed from its bytes), re-encoded by the one image pipeline to a small
// square WebP with no metadata, kept in the database and served to anyone, like built-ins.
import crypto from "node:crypto";
import express, { type Router } from "express";
import { ErrorCodes, LIMITS, type User } from "../../common/events";
import { CUSTOM_AVATAR_PREFIX } from "../auth/avatars";
import { sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import {
  answerRefused,
  badRequest,
  drain,
  FILE_SAFETY_HEADERS,
  notFound,
  refusedUnread,
} from "../uploads/file-http";
import { inImageTurn, isImageType, sniff, squareWebp } from "../uploads/inspect";

/** The `<id>` of `custom:<id>`: 128 random bits, new for every picture. */
const AVATAR_ID = /^[A-Za-z0-9_-]{22}$/;

/** A picture's bytes never change under its id: any cache may keep it for good. */
const PICTURE_HEADERS = {
  ...FILE_SAFETY_HEADERS,
  "Cache-Control": "public, max-age=31536000, immutable",
};

/** `POST /api/account/avatar` and `GET /avatars/custom/<id>.webp`. */
export function avatarRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  /** One picture change at a time per user on this node, so the older ones go in order. */
  const changing = new Map<string, Promise<unknown>>();

  router.post("/api/account/avatar", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return drain(req, () => sendError(res, ErrorCodes.unauthorized));
    if (refusedUnread(req, res, LIMITS.avatarMaxBytes)) return;
    const me = session.user;
    const outcome = await deps.uploads.service.receive(
      req,
      me,
      LIMITS.avatarMaxBytes,
      async (file) => {
        const type = await sniff(file.path);
        if (!isImageType(type)) return null;
        return inImageTurn(() => squareWebp(file.path, LIMITS.avatarSide));
      },
    );
    if (outcome && "refused" in outcome) return answerRefused(req, res, outcome.refused);
    if (!outcome) return badRequest(res);
    const user = await inOrder(me.id, () => show(me.id, outcome));
    if (!user) return sendError(res, ErrorCodes.unauthorized);
    deps.userChanged(user);
    res.json({ user });
  });

  /** Stores the picture and makes it the user's; its older pictures go. Null: no such user. */
  async function show(userId: string, webp: Buffer): Promise<User | null> {
    const id = crypto.randomBytes(16).toString("base64url");
    await deps.avatars.save(id, userId, webp, deps.now());
    const user = await deps.sessions.setAvatar(userId, `${CUSTOM_AVATAR_PREFIX}${id}`);
    await deps.avatars.removeOthers(userId, user ? id : null);
    return user;
  }

  function inOrder<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const run = (changing.get(userId) ?? Promise.resolve()).then(work, work);
    const settled = run.catch(() => {});
    changing.set(userId, settled);
    void settled.then(() => {
      if (changing.get(userId) === settled) changing.delete(userId);
    });
    return run;
  }

  router.get("/avatars/custom/:id.webp", async (req, res) => {
    const id = String(req.params.id);
    const webp = AVATAR_ID.test(id) ? await deps.avatars.get(id) : null;
    if (!webp) return notFound(res);
    res.status(200).set(PICTURE_HEADERS).type("image/webp").send(webp);
  });
  return router;
}
