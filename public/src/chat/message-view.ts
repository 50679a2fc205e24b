// One message as DOM: avatar, name, local time, the message it answers, its formatted text,
// reactions and actions; consecutive ones from the same sender are grouped, and a separator
// starts each calendar day.
import type { Message, User } from "../../../common/events";
import { attachmentsNode } from "./attachments-view";
import { userAvatarImg } from "./avatars";
import { h, visibleControls } from "./dom";
import { formatText } from "./format";
import { dayKey, dayLabel, formatTime, t } from "./i18n";
import type { Pending } from "./outbox";

const GROUP_WINDOW_MS = 5 * 60_000;

type Shown = { from: User; ts: number };

/** What a message's buttons do (the controller's actions). */
export type MessageActions = {
  canDelete(m: Message): boolean;
  reply(m: Message): void;
  react(m: Message, anchor: HTMLElement): void;
  toggle(m: Message, emoji: string): void;
  edit(m: Message, item: HTMLElement): void;
  remove(m: Message): void;
  jump(id: string): void;
};

export function daySeparator(ts: number): HTMLElement {
  return h("div", { class: "day", text: dayLabel(ts) });
}

/** The nodes for `m` given the message shown just before it. */
export function messageNodes(
  m: Message,
  prev: Shown | undefined,
  me: User,
  actions?: MessageActions,
): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  const newDay = !prev || dayKey(prev.ts) !== dayKey(m.ts);
  if (newDay) nodes.push(daySeparator(m.ts));
  const cont = !newDay && prev.from.id === m.from.id && m.ts - prev.ts < GROUP_WINDOW_MS;
  nodes.push(messageItem(m, me, cont, actions));
  return nodes;
}

/** A stored message's row; `cont` when it continues the sender's previous one. */
export function messageItem(m: Message, me: User, cont: boolean, actions?: MessageActions) {
  const item = row(m.from, m.ts, m.deleted ? [] : formatText(m.content), m.from.id === me.id, cont);
  item.dataset.id = m.id;
  const bubble = item.querySelector(".bubble")!;
  const text = bubble.querySelector(".text")!;
  if (m.deleted) {
    item.classList.add("deleted");
    text.textContent = t.deletedMessage;
  }
  if (m.replyTo) bubble.insertBefore(replyQuote(m.replyTo, actions), text);
  if (m.editedAt && !m.deleted) {
    text.append(" ", h("span", { class: "edited", text: `(${t.edited})` }));
  }
  if (m.mentions?.some((u) => u.id === me.id)) {
    item.classList.add("mentions-me");
    item
      .querySelector(".meta")
      ?.append(h("span", { class: "mention-tag", text: ` ${t.mentionsYou}` }));
  }
  if (m.attachments?.length && !m.deleted) text.after(attachmentsNode(m.attachments));
  if (m.reactions?.length) bubble.append(reactionsRow(m, me, actions));
  if (actions && !m.deleted) bubble.append(actionBar(m, me, actions));
  return item;
}

function replyQuote(original: NonNullable<Message["replyTo"]>, actions?: MessageActions) {
  const quote = h(
    "button",
    {
      class: "reply-quote",
      attrs: { type: "button", "aria-label": t.toOriginal(original.from.name) },
    },
    [
      h("span", { class: "reply-name", text: original.from.name }),
      " ",
      h(
        "span",
        { class: "reply-text" },
        original.content ? visibleControls(original.content) : [t.deletedMessage],
      ),
    ],
  );
  quote.addEventListener("click", () => actions?.jump(original.id));
  return quote;
}

function reactionsRow(m: Message, me: User, actions?: MessageActions): HTMLElement {
  return h(
    "div",
    { class: "reactions" },
    (m.reactions ?? []).map((r) => {
      const mine = r.users.some((u) => u.id === me.id);
      const button = h("button", {
        class: mine ? "reaction mine" : "reaction",
        text: `${r.emoji} ${r.users.length}`,
        attrs: {
          type: "button",
          "aria-pressed": String(mine),
          title: r.users.map((u) => u.name).join(", "),
        },
      });
      button.addEventListener("click", () => actions?.toggle(m, r.emoji));
      return button;
    }),
  );
}

function actionBar(m: Message, me: User, actions: MessageActions): HTMLElement {
  const button = (label: string, act: (b: HTMLButtonElement) => void) => {
    const b = h("button", { class: "action", text: label, attrs: { type: "button" } });
    b.addEventListener("click", () => act(b));
    return b;
  };
  const own = m.from.id === me.id;
  const bar = h(
    "div",
    { class: "actions", attrs: { role: "group", "aria-label": t.messageActions } },
    [button(t.reply, () => actions.reply(m)), button(t.react, (b) => actions.react(m, b))],
  );
  if (own) bar.append(button(t.edit, () => actions.edit(m, bar.closest(".msg") as HTMLElement)));
  if (actions.canDelete(m)) bar.append(button(t.delete, () => actions.remove(m)));
  return bar;
}

/** "New": where the messages not yet read begin. */
export function newDivider(): HTMLElement {
  return h("div", { class: "new-divider", attrs: { role: "separator" } }, [
    h("span", { text: t.newSinceRead }),
  ]);
}

function row(from: User, ts: number, text: (Node | string)[], own: boolean, cont: boolean) {
  const time = h("time", { text: formatTime(ts), attrs: { datetime: new Date(ts).toISOString() } });
  // Grouped rows keep name and time for screen readers only.
  const meta = h("p", { class: cont ? "meta sr-only" : "meta" }, [
    h("span", { class: "name", text: from.name }),
    " ",
    time,
  ]);
  // dir="auto": a right-to-left message reads right to left, isolated from what is around it.
  const body = h("div", { class: "text", attrs: { dir: "auto" } }, text);
  const bubble = h("div", { class: "bubble" }, [meta, body]);
  const classes = ["msg", own ? "own" : "", cont ? "cont" : ""].filter(Boolean).join(" ");
  return h("div", { class: classes }, cont ? [bubble] : [userAvatarImg(from, 36), bubble]);
}

/** A message still in the outbox, with its state and, when it failed, a way to drop it. */
export function pendingNode(p: Pending, me: User, onDiscard: (cid: string) => void): HTMLElement {
  const item = row(me, p.ts, formatText(p.content), true, false);
  item.classList.add(p.state === "failed" ? "failed" : "pending");
  if (p.attachments?.length) item.querySelector(".text")?.after(attachmentsNode(p.attachments));
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
