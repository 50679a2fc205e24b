// A light, safe formatting of message text, built with DOM calls (never HTML strings):
// ```fenced code blocks```, `code`, *bold*, _italic_, and http(s) links.
import { h, textWithLinks, visibleControls } from "./dom";

const FENCE = /```(?:[^\n`]*\n)?([\s\S]*?)```/g;
const INLINE = /`([^`\n]+)`|\*([^*\n]+)\*|(?<![\p{L}\p{N}])_([^_\n]+)_(?![\p{L}\p{N}])/gu;

/** Inline marks of one paragraph; links inside bold and italic still work. */
function inline(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const start = m.index ?? 0;
    if (start > last) parts.push(...textWithLinks(text.slice(last, start)));
    if (m[1] !== undefined) parts.push(h("code", {}, visibleControls(m[1])));
    else if (m[2] !== undefined) parts.push(h("strong", {}, textWithLinks(m[2])));
    else parts.push(h("em", {}, textWithLinks(m[3] ?? "")));
    last = start + m[0].length;
  }
  if (last < text.length) parts.push(...textWithLinks(text.slice(last)));
  return parts;
}

/** The nodes of a message's text. */
export function formatText(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(FENCE)) {
    const start = m.index ?? 0;
    if (start > last) parts.push(...inline(text.slice(last, start)));
    const code = h("code", {}, visibleControls(m[1].replace(/\n$/, "")));
    parts.push(h("pre", { class: "code-block" }, [code]));
    last = start + m[0].length;
  }
  if (last < text.length) parts.push(...inline(text.slice(last)));
  return parts;
}
