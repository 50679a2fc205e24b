import { pipeline } from "node:stream/promises";
import { create as contentDisposition } from "content-disposition";
import express, { type Request, type Response, type Router } from "express";
import { ErrorCodes } from "../../common/events";
import type { ConversationAccess } from "../conversations/access";
import { sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import { answerRefused, drain, FILE_SAFETY_HEADERS, notFound, refusedUnread } from "./file-http";
import type { MessageActionStore } from "../store/message-action-store";
import type { UploadStore, UploadVariant } from "../store/upload-store";
import { isImageType } from "./inspect";
import type { UploadService } from "./upload-service";

export type UploadDeps = {
  service: UploadService;
  store: UploadStore;
  actions: MessageActionStore;
  access: ConversationAccess;
};

const UPLOAD_ID = /^[0-9a-f]{32}$/;

const FILE_HEADERS = {
  ...FILE_SAFETY_HEADERS,
  // Readers only: browsers revalidate (a deleted file must stop being served), nothing shared.
  "Cache-Control": "private, no-cache",
};

/** `POST /api/uploads`, then `GET /uploads/<id>` and `/uploads/<id>/thumb` for those who may read them. */
export function uploadRoutes(deps: HttpDeps, uploads: UploadDeps): Router {
  const router = express.Router();

  router.post("/api/uploads", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return drain(req, () => sendError(res, ErrorCodes.unauthorized));
    if (refusedUnread(req, res, deps.config.uploads.maxBytes)) return;
    const outcome = await uploads.service.upload(req, session.user);
    if (!("refused" in outcome)) return res.status(201).json({ upload: outcome });
    answerRefused(req, res, outcome.refused);
  });

  async function serve(req: Request, res: Response, variant: UploadVariant): Promise<void> {
    const id = String(req.params.id);
    const session = UPLOAD_ID.test(id) ? await sessionOf(deps, req) : null;
    const file = session ? await uploads.store.get(id) : null;
    const stored = file?.messageId ? await uploads.actions.get(file.messageId) : null;
    if (!session || !file || !(await uploads.access.mayReadFile(session.user, file, stored))) {
      return notFound(res);
    }
    const bytes = await uploads.store.open(id, variant);
    if (!bytes) return notFound(res);
    const { attachment } = file;
    const type = variant === "thumb" ? (file.thumbType ?? "image/webp") : attachment.type;
    const inline = isImageType(type);
    const etag = `"${id}-${variant}"`;
    res.set(FILE_HEADERS).set("ETag", etag);
    if (req.headers["if-none-match"] === etag) {
      bytes.stream.destroy();
      res.status(304).end();
      return;
    }
    res
      .status(200)
      .type(type)
      .set("Content-Length", String(bytes.size))
      .set(
        "Content-Disposition",
        contentDisposition(attachment.name, { type: inline ? "inline" : "attachment" }),
      );
    await pipeline(bytes.stream, res).catch(() => res.destroy());
  }

  router.get("/uploads/:id", (req, res) => serve(req, res, "file"));
  router.get("/uploads/:id/thumb", (req, res) => serve(req, res, "thumb"));
  return router;
}
