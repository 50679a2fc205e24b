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
  [ErrorCodes.notFound]: 404,
  [ErrorCodes.badCredentials]: 401,
  [ErrorCodes.weakPassword]: 400,
  [ErrorCodes.lastCredential]: 409,
  [ErrorCodes.tooLarge]: 413,
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
  [ErrorCodes.badCredentials]:
    "That nickname is kept by its owner: sign in with its password or passkey.",
  [ErrorCodes.weakPassword]:
    "Passwords are at least 10 characters and not one of the most common passwords.",
  [ErrorCodes.lastCredential]: "That is the account's only way to sign in; add another first.",
};

export function statusOf(code: ErrorCode): number {
  return ERROR_STATUS[code] ?? 400;
}

/** An error answer; `status` only where the contract gives a code two statuses (bad_credentials). */
export function sendError(res: Response, code: ErrorCode, status = statusOf(code)): void {
  res.status(status).json({ error: { code, message: ERROR_MESSAGES[code] ?? code } });
}
