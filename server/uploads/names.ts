import { LIMITS } from "../../common/events";

/**
 * Control characters, bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), directional marks, line/paragraph separators and the BOM: nothing that can
 * make a name display as something else (`gnp.exe` shown as `exe.png`).
 */
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/gu;

/**
 * A file name as the user named it, but safe to show: the last path segment only, no control
 * or bidi characters, at most LIMITS.fileNameMax code points (the extension kept); "file" when
 * nothing is left. The name is only ever shown: files are stored under their ids.
 */
export function cleanFileName(raw: string): string {
  const base = raw.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const name = base.replace(UNSAFE, "").trim();
  const chars = [...name];
  if (chars.length === 0) return "file";
  if (chars.length <= LIMITS.fileNameMax) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? [...name.slice(dot)].slice(0, 16).join("") : "";
  const keep = LIMITS.fileNameMax - [...ext].length;
  return chars.slice(0, keep).join("").trimEnd() + ext;
}
