// Streams the one file of a multipart request to a temp file: never held whole in memory,
// refused as soon as it passes the size limit or the sender's byte budget.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";
import type { Request } from "express";
import { ErrorCodes, type ErrorCode } from "../../common/events";
import { cleanFileName } from "./names";

export type Received = { path: string; name: string; size: number };
export type Refusal = { refused: ErrorCode };

const MIB = 1024 * 1024;

export type ReceiveOptions = {
  /** Where the temp file goes. */
  dir: string;
  maxBytes: number;
  /** Asked once per MiB received; false refuses the upload (`rate_limited`). */
  takeMegabyte: () => Promise<boolean>;
};

/** Counts bytes and asks the budget at each MiB, holding the stream while it waits. */
class Metered extends Transform {
  bytes = 0;
  constructor(private readonly takeMegabyte: () => Promise<boolean>) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const before = Math.floor(this.bytes / MIB);
    this.bytes += chunk.length;
    const crossed = Math.floor(this.bytes / MIB) - before;
    if (crossed === 0) return done(null, chunk);
    void (async () => {
      for (let i = 0; i < crossed; i++) {
        if (!(await this.takeMegabyte())) return done(new RefusedError(ErrorCodes.rateLimited));
      }
      done(null, chunk);
    })();
  }
}

class RefusedError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
  }
}

type Outcome = Received | Refusal | Error;

/**
 * The file of field `file`, written to a temp file in `dir`; or why it was refused. A request
 * that breaks off (the client went away) rejects. Whatever the outcome but success, the temp
 * file is gone before the promise settles.
 */
export function receiveFile(req: Request, options: ReceiveOptions): Promise<Received | Refusal> {
  const tmp = path.join(options.dir, `${crypto.randomBytes(16).toString("hex")}.part`);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      defParamCharset: "utf8",
      // busboy signals `limit` on reaching fileSize: one byte more than allowed.
      limits: { files: 1, fileSize: options.maxBytes + 1, fields: 10, parts: 20, fieldSize: 1024 },
    });
  } catch {
    return Promise.resolve({ refused: ErrorCodes.badRequest });
  }
  const stop = new AbortController();
  let writing: Promise<Outcome> | null = null;

  parser.on("file", (field, file, info) => {
    if (field !== "file" || writing) return file.resume();
    const meter = new Metered(options.takeMegabyte);
    let tooLarge = false;
    file.on("limit", () => {
      tooLarge = true;
      meter.destroy(new RefusedError(ErrorCodes.tooLarge));
    });
    const out = fs.createWriteStream(tmp, { flags: "wx" });
    writing = pipeline(file, meter, out, { signal: stop.signal }).then(
      (): Outcome =>
        tooLarge
          ? { refused: ErrorCodes.tooLarge }
          : { path: tmp, name: cleanFileName(info.filename ?? ""), size: meter.bytes },
      (error: unknown): Outcome => {
        if (tooLarge) return { refused: ErrorCodes.tooLarge };
        if (error instanceof RefusedError) return { refused: error.code };
        return error instanceof Error ? error : new Error(String(error));
      },
    );
    // Refused mid-file: answer now rather than when the client has sent everything.
    void writing.then((o) => {
      if (!(o instanceof Error) && "refused" in o) void settle(o);
    });
  });

  let resolve!: (o: Received | Refusal) => void;
  let reject!: (e: Error) => void;
  const result = new Promise<Received | Refusal>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let settled = false;
  async function settle(outcome: Outcome): Promise<void> {
    if (settled) return;
    settled = true;
    req.unpipe(parser);
    if (!(outcome instanceof Error) && !("refused" in outcome)) return resolve(outcome);
    stop.abort();
    await writing;
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    if (outcome instanceof Error) return reject(outcome);
    // Read and discard the rest, so the answer reaches a client that is still sending.
    req.resume();
    resolve(outcome);
  }

  parser.on("close", () => {
    if (!writing) void settle({ refused: ErrorCodes.badRequest });
    else void writing.then(settle);
  });
  parser.on("error", () => void settle({ refused: ErrorCodes.badRequest }));
  req.on("close", () => {
    if (!req.complete) void settle(new Error("upload aborted"));
  });
  req.pipe(parser);
  return result;
}
