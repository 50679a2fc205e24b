// What every route that takes or serves a user's file shares: files (uploads, profile
// pictures) and how a refused one is answered.
import type { Request, Response } from "express";
import { ErrorCodes, type ErrorCode } from "../../common/events";
import { sendError } from "../http/errors";

/**
 * A served file can never run as a page of ours: no sniffing, and a CSP that sandboxes it
 * and allows nothing, should it be opened directly.
 */
export const FILE_SAFETY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
};

/**
 * Refuses, unread, a request that is not multipart or that declares far more than `maxBytes`
 * (the multipart envelope adds a few hundred bytes); true when it answered.
 */
export function refusedUnread(req: Request, res: Response, maxBytes: number): boolean {
  if (!req.is("multipart/form-data")) {
    drain(req, () => badRequest(res));
    return true;
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared <= maxBytes + 64 * 1024) return false;
  drain(req, () => tooLarge(res));
  return true;
}

/** The answer to a file refused while or after it streamed in. */
export function answerRefused(req: Request, res: Response, code: ErrorCode): void {
  if (code === ErrorCodes.tooLarge) return drain(req, () => tooLarge(res));
  if (code === ErrorCodes.badRequest) return badRequest(res);
  if (code === ErrorCodes.rateLimited) res.set("Retry-After", "60");
  sendError(res, code);
}

export function badRequest(res: Response): void {
  res.status(400).json({
    error: {
      code: ErrorCodes.badRequest,
      message: 'Send one file as the multipart/form-data field "file"; images must be readable.',
    },
  });
}

function tooLarge(res: Response): void {
  res.status(413).json({ error: { code: ErrorCodes.tooLarge, message: "The file is too large." } });
}

export function notFound(res: Response): void {
  res.status(404).json({ error: { code: ErrorCodes.notFound, message: "Not found." } });
}

/** Answers at once and reads the rest of the body away, so a client still sending sees the answer. */
export function drain(req: Request, answer: () => void): void {
  answer();
  req.resume();
}
