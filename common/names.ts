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

// Control, format (zero-width, bidi) and other invisible characters, which could make two
// room names look alike or a name look empty.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0\u2800]/u;

/** Room names: 1 to 40 code points after trimming, nothing invisible; unique like nicknames. */
export function checkRoomName(raw: unknown): NameCheck {
  if (typeof raw !== "string") return { ok: false };
  const name = raw.trim();
  const length = [...name].length;
  if (length < 1 || length > LIMITS.roomNameMax || INVISIBLE.test(name)) return { ok: false };
  return { ok: true, name, key: nicknameKey(name) };
}

// A topic is free text: the room-name set, but for the zero-width non-joiner and joiner
// (U+200C, U+200D), which Persian, Indic scripts and emoji sequences need.
const TOPIC_INVISIBLE = new RegExp(`(?![\u200c\u200d])${INVISIBLE.source}`, "u");

/**
 * A topic: up to 200 code points after trimming (may be empty), nothing invisible but the
 * joiners above, so no bidi override or isolate (U+202A–U+202E, U+2066–U+2069) can reorder it.
 */
export function checkTopic(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const topic = raw.trim();
  if ([...topic].length > LIMITS.topicMax || TOPIC_INVISIBLE.test(topic)) return null;
  return topic;
}
