// One message as DOM: avatar, name, local time and text; consecutive ones from the same
// sender are grouped, and a separator starts each calendar day.
import type { Message, User } from "../../../common/events";
import { avatarImg, h, textWithLinks } from "./dom";
import { dayKey, dayLabel, formatTime, t } from "./i18n";
import type { Pending } from "./outbox";

const GROUP_WINDOW_MS = 5 * 60_000;

type Shown = { from: User; ts: number };

export function daySeparator(ts: number): HTMLElement {
  return h("div", { class: "day", text: dayLabel(ts) });
}

/** The nodes for `m` given the message shown just before it. */
export function messageNodes(m: Message, prev: Shown | undefined, me: User): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  const newDay = !prev || dayKey(prev.ts) !== dayKey(m.ts);
  if (newDay) nodes.push(daySeparator(m.ts));
  const cont = !newDay && prev.from.id === m.from.id && m.ts - prev.ts < GROUP_WINDOW_MS;
  const item = row(m.from, m.ts, m.content, m.from.id === me.id, cont, m.id);
  if (m.mentions?.some((u) => u.id === me.id)) {
    item.classList.add("mentions-me");
    item
      .querySelector(".meta")
      ?.append(h("span", { class: "mention-tag", text: ` ${t.mentionsYou}` }));
  }
  nodes.push(item);
  return nodes;
}

/** "New": where the messages not yet read begin. */
export function newDivider(): HTMLElement {
  return h("div", { class: "new-divider", attrs: { role: "separator" } }, [
    h("span", { text: t.newSinceRead }),
  ]);
}

function row(
  from: User,
  ts: number,
  content: string,
  own: boolean,
  cont: boolean,
  id?: string,
): HTMLElement {
  const time = h("time", { text: formatTime(ts), attrs: { datetime: new Date(ts).toISOString() } });
  // Grouped rows keep name and time for screen readers only.
  const meta = h("p", { class: cont ? "meta sr-only" : "meta" }, [
    h("span", { class: "name", text: from.name }),
    " ",
    time,
  ]);
  const bubble = h("div", { class: "bubble" }, [
    meta,
    h("p", { class: "text" }, textWithLinks(content)),
  ]);
  const classes = ["msg", own ? "own" : "", cont ? "cont" : ""].filter(Boolean).join(" ");
  const item = h("div", { class: classes }, cont ? [bubble] : [avatarImg(from.avatar, 36), bubble]);
  if (id) item.dataset.id = id;
  return item;
}

/** A message still in the outbox, with its state and, when it failed, a way to drop it. */
export function pendingNode(p: Pending, me: User, onDiscard: (cid: string) => void): HTMLElement {
  const item = row(me, p.ts, p.content, true, false);
  item.classList.add(p.state === "failed" ? "failed" : "pending");
  item.dataset.cid = p.cid;
  const status = h("p", { class: "msg-status" });
  if (p.state === "failed") {
    const reason = (p.error && t.sendErrors[p.error]) ?? "";
    const discard = h("button", { text: t.discard, attrs: { type: "button" } });
    discard.addEventListener("click", () => onDiscard(p.cid));
    status.append(`${t.notSent}. ${reason}`, discard);
  } else {
    status.textContent = t.pending;
  }
  item.querySelector(".bubble")?.append(status);
  return item;
}
