// Tiny DOM helpers. Text is only ever set with textContent or text nodes.
import { sentenceParts } from "../../../common/sentence";

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

type Props = { class?: string; text?: string; attrs?: Record<string, string> };

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.text !== undefined) node.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A built-in avatar's picture, or an uploaded one (`custom:<id>`, v3). */
export function avatarUrl(avatarId: string): string {
  if (avatarId.startsWith("custom:")) {
    return `/avatars/custom/${encodeURIComponent(avatarId.slice(7))}.webp`;
  }
  return `/avatars/${encodeURIComponent(avatarId)}.svg`;
}

/** A `<svg><use href="#id"/></svg>` icon from the page's sprite. */
export function icon(id: string): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(ns, "use");
  use.setAttribute("href", `#${id}`);
  svg.append(use);
  return svg;
}

const URL_PATTERN =
  /\bhttps?:\/\/[^\s<>"'\u202a-\u202e\u2066-\u2069]+[^\s<>"'.,;:!?)\]\u202a-\u202e\u2066-\u2069]/g;
/** Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text with every bidirectional control shown as a marked placeholder instead of obeyed, so
 * `gnp\u202eexe.png` cannot pass for `exe.png` and what follows stays in its typed order.
 */
export function visibleControls(text: string): (Node | string)[] {
  if (!BIDI_CONTROL.test(text)) return [text];
  BIDI_CONTROL.lastIndex = 0;
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const m of text.matchAll(BIDI_CONTROL)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    const code = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase()}`;
    parts.push(h("span", { class: "bidi-control", text: `[${code}]`, attrs: { title: code } }));
    last = at + 1;
  }
  if (last < text.length) parts.push(...visibleControls(text.slice(last)));
  return parts;
}

/** A user-given name (nickname, room name, file name) as one isolated run: a `<bdi>`. */
export function isolated(name: string, className = ""): HTMLElement {
  return h("bdi", { class: className, text: name });
}

/**
 * A catalogue sentence with each name in its own `<bdi>` ("Replying to <bdi>name</bdi>"),
 * built with DOM calls, so a right-to-left name never reorders the words around it.
 */
export function sentence<A extends string[]>(
  template: (...args: A) => string,
  ...names: A
): (Node | string)[] {
  return sentenceParts(template, ...names).map((p) => ("name" in p ? isolated(p.name) : p.text));
}

/** The message text as nodes, with http(s) links made clickable. */
export function textWithLinks(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(...visibleControls(text.slice(last, start)));
    const link = h("a", { text: match[0], attrs: { rel: "noopener noreferrer nofollow" } });
    link.href = match[0];
    link.target = "_blank";
    parts.push(link);
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(...visibleControls(text.slice(last)));
  return parts;
}
