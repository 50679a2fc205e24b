// Tiny DOM helpers. Text is only ever set with textContent or text nodes.

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

export function avatarUrl(avatarId: string): string {
  return `/avatars/${encodeURIComponent(avatarId)}.svg`;
}

export function avatarImg(avatarId: string, size: number, className = "avatar"): HTMLImageElement {
  const img = h("img", {
    class: className,
    attrs: { alt: "", width: `${size}`, height: `${size}` },
  });
  img.src = avatarUrl(avatarId);
  return img;
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

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The message text as nodes, with http(s) links made clickable. */
export function textWithLinks(text: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    const link = h("a", { text: match[0], attrs: { rel: "noopener noreferrer nofollow" } });
    link.href = match[0];
    link.target = "_blank";
    parts.push(link);
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/**
 * Redraws the unread and mention badges at the end of a sidebar button. They are part of its
 * accessible name ("Group 3 unread 1 mention"); the visible digits are hidden from it.
 */
export function fillBadges(
  button: HTMLElement,
  unread: number,
  mentions: number,
  labels: { unread: (n: number) => string; mentions: (n: number) => string },
): void {
  button.querySelector(".unread")?.remove();
  if (unread === 0 && mentions === 0) return;
  const parts: (Node | string)[] = [];
  if (unread > 0) {
    parts.push(
      " ",
      h("span", { class: "badge", text: String(unread), attrs: { "aria-hidden": "true" } }),
      h("span", { class: "sr-only", text: ` ${labels.unread(unread)}` }),
    );
  }
  if (mentions > 0) {
    parts.push(
      " ",
      h("span", {
        class: "badge mention-badge",
        text: `@${mentions}`,
        attrs: { "aria-hidden": "true" },
      }),
      h("span", { class: "sr-only", text: ` ${labels.mentions(mentions)}` }),
    );
  }
  button.append(h("span", { class: "unread" }, parts));
}
