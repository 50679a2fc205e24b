// Nickname rules shared by server validation and the login form.
import { LIMITS } from "./events";

// Letters and digits of any script (with their combining marks), space, "_", "-", ".".
const NAME_CHARS = /^[\p{L}\p{M}\p{Nd} _.-]+$/u;

export type NameCheck = { ok: true; name: string; key: string } | { ok: false };

/** Trims, checks length (code points) and characters; returns the stored form and its unique key. */
export function checkNickname(raw: unknown): NameCheck {
  if (typeof raw !== "string") return { ok: false };
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > LIMITS.nameMax || !NAME_CHARS.test(name)) return { ok: false };
  return { ok: true, name, key: nicknameKey(name) };
}

/** NFKC + case folding (upper then lower also folds ß→ss and final sigma). */
export function nicknameKey(name: string): string {
  return name.trim().normalize("NFKC").toUpperCase().toLowerCase().normalize("NFKC");
}
