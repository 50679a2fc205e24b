// Uploads end to end: the streamed file is typed from its bytes, images are re-encoded with
// no metadata and get a thumbnail, then the store takes the files over. Unsent uploads expire.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Request } from "express";
import type { Attachment, ErrorCode, User } from "../../common/events";
import { ErrorCodes } from "../../common/events";
import type { RateLimiter } from "../chat/rate-limiter";
import type { UploadStore } from "../store/upload-store";
import { inImageTurn, isImageType, processImage, sniff, THUMB_TYPE } from "./inspect";
import { receiveFile, type Received } from "./receive";

export type UploadLimits = {
  maxBytes: number;
  unsentTtlMs: number;
  /** Uploads per user per minute, and MiB per user per minute. */
  count: RateLimiter;
  megabytes: RateLimiter;
};

/** The keeper asks every minute; sweeping (a directory listing or two) is done this often. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;
/** Files left in the incoming dir by a crash go after this long. */
const STALE_INCOMING_MS = 60 * 60 * 1000;

export class UploadService {
  /** Temp files while a request streams in (DATA_DIR/uploads/.incoming). */
  private readonly incoming: string;
  private lastSweep = -Infinity;

  constructor(
    private readonly store: UploadStore,
    dataDir: string,
    private readonly limits: UploadLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.incoming = path.join(dataDir, "uploads", ".incoming");
    fs.mkdirSync(this.incoming, { recursive: true });
  }

  /**
   * Streams the request's file (field `file`, at most `maxBytes`) to a temp file, counted
   * against the sender's upload budgets, and hands it to `use`: its result, or why the file was
   * refused. The temp file is gone afterwards. Profile pictures come in this way too.
   */
  async receive<T>(
    req: Request,
    user: User,
    maxBytes: number,
    use: (file: Received) => Promise<T>,
  ): Promise<T | { refused: ErrorCode }> {
    if (!(await this.limits.count.take(user.id))) return { refused: ErrorCodes.rateLimited };
    const received = await receiveFile(req, {
      dir: this.incoming,
      maxBytes,
      takeMegabyte: () => this.limits.megabytes.take(user.id),
    });
    if ("refused" in received) return received;
    try {
      return await use(received);
    } finally {
      await fs.promises.rm(received.path, { force: true });
    }
  }

  /** Streams the request's file in and stores it: the new upload, or why it was refused. */
  upload(req: Request, user: User): Promise<Attachment | { refused: ErrorCode }> {
    return this.receive(req, user, this.limits.maxBytes, async (received) => {
      const id = crypto.randomBytes(16).toString("hex");
      const out = `${received.path}.out`;
      const thumb = `${received.path}.thumb`;
      try {
        const type = await sniff(received.path);
        const base = { id, uploaderId: user.id, name: received.name, type, createdAt: this.now() };
        if (!isImageType(type)) {
          return await this.store.save({ ...base, size: received.size }, { file: received.path });
        }
        const image = await inImageTurn(() => processImage(received.path, type, out, thumb));
        if (!image) return { refused: ErrorCodes.badRequest };
        return await this.store.save(
          {
            ...base,
            size: image.size,
            width: image.width,
            height: image.height,
            thumbType: THUMB_TYPE,
          },
          { file: out, thumb },
        );
      } finally {
        await Promise.all([out, thumb].map((f) => fs.promises.rm(f, { force: true })));
      }
    });
  }

  /**
   * Removes expired unsent uploads, files of deleted messages, and stale temp files; at most
   * every SWEEP_EVERY_MS unless `force`d.
   */
  async sweep(force = false): Promise<number> {
    if (!force && this.now() - this.lastSweep < SWEEP_EVERY_MS) return 0;
    this.lastSweep = this.now();
    const removed = await this.store.sweep(this.now() - this.limits.unsentTtlMs);
    const cutoff = this.now() - STALE_INCOMING_MS;
    for (const name of await fs.promises.readdir(this.incoming).catch(() => [])) {
      const file = path.join(this.incoming, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < cutoff) await fs.promises.rm(file, { force: true });
    }
    return removed;
  }
}
