import type { Response } from "express";
import { ErrorCodes, type ErrorCode } from "../../common/events";

export const ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.invalidName]: 400,
  [ErrorCodes.invalidAvatar]: 400,
  [ErrorCodes.badRequest]: 400,
  [ErrorCodes.nameTaken]: 409,
  [ErrorCodes.unauthorized]: 401,
  [ErrorCodes.invalidCode]: 403,
  [ErrorCodes.banned]: 403,
  [ErrorCodes.forbidden]: 403,
  [ErrorCodes.linkExpired]: 410,
  [ErrorCodes.rateLimited]: 429,
};

export const ERROR_MESSAGES: Partial<Record<ErrorCode, string>> = {
  [ErrorCodes.invalidName]:
    "Nicknames are 1 to 24 letters, digits, spaces, underscores, hyphens or dots.",
  [ErrorCodes.invalidAvatar]: "Choose one of the avatars.",
  [ErrorCodes.nameTaken]: "That nickname is in use. Choose another one.",
  [ErrorCodes.badRequest]: "The request body must be a JSON object.",
  [ErrorCodes.unauthorized]: "No valid session.",
  [ErrorCodes.invalidCode]: "The code is missing or wrong.",
  [ErrorCodes.banned]: "Banned from this server for now.",
  [ErrorCodes.linkExpired]: "The link code is unknown, used or expired.",
  [ErrorCodes.rateLimited]: "Too many requests; try again in a minute.",
};

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code] ?? 400;
}

export function sendError(res: Response, code: ErrorCode): void {
  res.status(statusOf(code)).json({ error: { code, message: ERROR_MESSAGES[code] ?? code } });
}
