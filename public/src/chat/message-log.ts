// The role="log" element: shows one conversation, sticks to the bottom only when the reader
// is there (else a "new messages" pill), and asks for older history near the top.
import type { Message, User } from "../../../common/events";
import type { Conversation } from "./conversation";
import { byId, sentence } from "./dom";
import { t } from "./i18n";
import { messageNodes, newDivider, pendingNode, type MessageActions } from "./message-view";
import type { Pending } from "./outbox";

const BOTTOM_SLACK_PX = 48;
const TOP_TRIGGER_PX = 120;

export class MessageLog {
  private readonly log = byId("log");
  private readonly top = byId("log-top");
  private readonly items = byId("log-items");
  private readonly pending = byId("log-pending");
  private readonly pill = byId<HTMLButtonElement>("pill");
  private conv: Conversation | undefined;
  private last: Message | undefined;
  loadingOlder = false;

  constructor(
    private readonly me: User,
    private readonly onNearTop: () => void,
    private readonly onDiscard: (cid: string) => void,
    private readonly actions?: MessageActions,
  ) {
    this.log.addEventListener("scroll", () => {
      if (this.atBottom()) this.pill.hidden = true;
      if (this.log.scrollTop < TOP_TRIGGER_PX) this.onNearTop();
    });
    this.pill.addEventListener("click", () => this.scrollToBottom());
  }

  /** Shows another conversation from its newest message. */
  show(conv: Conversation, pending: Pending[]): void {
    this.conv = conv;
    this.pill.hidden = true;
    this.renderAll();
    this.setPending(pending);
    this.scrollToBottom();
    this.nearTopCheck();
  }

  /** New messages that all sort after the last one shown. */
  append(fresh: Message[]): void {
    const stick = this.atBottom();
    for (const m of fresh) {
      this.items.append(...messageNodes(m, this.last, this.me, this.actions));
      this.last = m;
    }
    this.updateTop();
    if (stick || fresh.some((m) => m.from.id === this.me.id)) this.scrollToBottom();
    else this.pill.hidden = false;
  }

  /** Redraws everything (older history arrived, or an out-of-order message), keeping the view. */
  refresh(): void {
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    const stick = this.atBottom();
    const focused = this.focusedControl();
    this.renderAll();
    if (stick) this.scrollToBottom();
    else this.log.scrollTop = this.log.scrollHeight - fromBottom;
    if (focused) this.refocus(focused);
    this.nearTopCheck();
  }

  /** The message and control that hold keyboard focus, so a re-render does not drop it. */
  private focusedControl(): { id: string; label: string } | null {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || !this.items.contains(el)) return null;
    const id = el.closest<HTMLElement>(".msg[data-id]")?.dataset.id;
    return id ? { id, label: el.textContent ?? "" } : null;
  }

  private refocus(f: { id: string; label: string }): void {
    const item = this.items.querySelector(`.msg[data-id="${CSS.escape(f.id)}"]`);
    const controls = item ? [...item.querySelectorAll<HTMLElement>("button, a")] : [];
    (controls.find((c) => c.textContent === f.label) ?? this.log).focus({ preventScroll: true });
  }

  setPending(list: Pending[]): void {
    const stick = this.atBottom();
    this.pending.replaceChildren(...list.map((p) => pendingNode(p, this.me, this.onDiscard)));
    if (stick) this.scrollToBottom();
  }

  updateTop(): void {
    const conv = this.conv;
    let text: (Node | string)[];
    if (!conv || !conv.loaded || this.loadingOlder) text = [t.loadingOlder];
    else if (conv.hasMore) text = [];
    else if (conv.peer) text = sentence(t.privateNotice, conv.peer.name);
    else text = [conv.messages.length ? t.historyStart : t.empty];
    this.top.replaceChildren(...text);
    this.top.hidden = text.length === 0;
  }

  private renderAll(): void {
    this.log.setAttribute("aria-busy", "true");
    this.last = undefined;
    const nodes: HTMLElement[] = [];
    const after = this.conv?.dividerAfter ?? null;
    let divided = after === null;
    for (const m of this.conv?.messages ?? []) {
      if (!divided && m.id > after! && m.from.id !== this.me.id) {
        nodes.push(newDivider());
        divided = true;
      }
      nodes.push(...messageNodes(m, this.last, this.me, this.actions));
      this.last = m;
    }
    this.items.replaceChildren(...nodes);
    this.updateTop();
    this.log.removeAttribute("aria-busy");
  }

  private nearTopCheck(): void {
    if (this.log.scrollTop < TOP_TRIGGER_PX) this.onNearTop();
  }

  /** Scrolls to a shown message and marks it for a moment; false when it is not shown. */
  reveal(id: string): boolean {
    const item = this.items.querySelector<HTMLElement>(`.msg[data-id="${CSS.escape(id)}"]`);
    if (!item) return false;
    item.scrollIntoView({ block: "center" });
    item.classList.add("flash");
    window.setTimeout(() => item.classList.remove("flash"), 2000);
    this.pill.hidden = true;
    return true;
  }

  atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.log;
    return scrollHeight - scrollTop - clientHeight < BOTTOM_SLACK_PX;
  }

  scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.pill.hidden = true;
  }
}
