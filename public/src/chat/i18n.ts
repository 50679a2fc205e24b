// The page's language (rendered by the server) and the matching catalogue and formats.
import { CATALOGUES, type Lang } from "../../../common/i18n";

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

export function typingText(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return t.typingOne(names[0]);
  if (names.length === 2) return t.typingTwo(names[0], names[1]);
  return t.typingMany;
}
