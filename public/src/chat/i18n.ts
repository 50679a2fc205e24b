// The page's language (rendered by the server) and the matching catalogue and formats.
import { CATALOGUES, type Lang } from "../../../common/i18n";
import { sentence } from "./dom";

export const lang: Lang = document.body.dataset.lang === "zh" ? "zh" : "en";
export const t = CATALOGUES[lang];

const timeFormat = new Intl.DateTimeFormat(t.htmlLang, { hour: "2-digit", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(t.htmlLang, {
  weekday: "long",
  month: "long",
  day: "numeric",
});
const dayYearFormat = new Intl.DateTimeFormat(t.htmlLang, { dateStyle: "long" });

export function formatTime(ts: number): string {
  return timeFormat.format(ts);
}

/** Local calendar day, to decide where date separators go. */
export function dayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(ts: number, now = Date.now()): string {
  if (dayKey(ts) === dayKey(now)) return t.today;
  if (dayKey(ts) === dayKey(now - 86_400_000)) return t.yesterday;
  const sameYear = new Date(ts).getFullYear() === new Date(now).getFullYear();
  return (sameYear ? dayFormat : dayYearFormat).format(ts);
}

/** "alice and bob are typing…", each name in its own isolated element, in the order heard. */
export function typingLine(names: string[]): (Node | string)[] {
  if (names.length === 0) return [];
  if (names.length === 1) return sentence(t.typingOne, names[0]);
  if (names.length === 2) return sentence(t.typingTwo, names[0], names[1]);
  return [t.typingMany];
}
