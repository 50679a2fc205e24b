// Passwords: kept only as a salted scrypt hash, checked in constant time, never logged.
// Strength: at least 10 characters and not among the 10,000 most common passwords (the
// frequency-ordered list of @zxcvbn-ts/language-common, compared case-insensitively).
import crypto from "node:crypto";
import { promisify } from "node:util";
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN = 10;
/** Longer input is refused before hashing, so nobody makes the server hash megabytes. */
export const PASSWORD_MAX = 1024;
const COMMON_COUNT = 10_000;

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** scrypt cost: N=2^15, r=8, p=1 (OWASP's minimum is 2^17 with p=1 at 32 MiB… see docs). */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  const list = (dictionary as Record<string, string[]>)["passwords-common"] ?? [];
  common ??= new Set(list.slice(0, COMMON_COUNT).map((p) => p.toLowerCase()));
  return common;
}

function codePoints(s: string): number {
  return [...s].length;
}

/** Why a new password is refused, or null when it is acceptable. */
export function weakPassword(password: string): "short" | "common" | null {
  if (codePoints(password) < PASSWORD_MIN) return "short";
  if (commonPasswords().has(password.toLowerCase())) return "common";
  return null;
}

/** `scrypt$N$r$p$salt$key`, base64url parts: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password.normalize("NFC"), salt, KEY_LENGTH, COST);
  return [
    "scrypt",
    COST.N,
    COST.r,
    COST.p,
    salt.toString("base64url"),
    key.toString("base64url"),
  ].join("$");
}

/** Whether `password` matches a stored hash; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split("$");
  if (kind !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const cost = { N: Number(n), r: Number(r), p: Number(p), maxmem: COST.maxmem };
  const actual = await scrypt(
    password.normalize("NFC"),
    Buffer.from(salt, "base64url"),
    expected.length,
    cost,
  ).catch(() => null);
  return (
    actual !== null && actual.length === expected.length && crypto.timingSafeEqual(actual, expected)
  );
}
