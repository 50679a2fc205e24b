// Each conversation's notification level (All, Mentions, Nothing) in a menu of its header:
// a menu button with three radio items, arrow keys move, Esc closes; a choice is sent as
// `notify` and shown once the server has stored it.
import type { NotifyLevel } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import type { Conversation } from "./conversation";
import { byId } from "./dom";
import { t } from "./i18n";

/** The contract's defaults: all for private and closed rooms, mentions elsewhere. */
export function levelOf(conv: Conversation): NotifyLevel {
  if (conv.level) return conv.level;
  if (conv.peer || conv.room?.kind === "closed") return "all";
  return "mentions";
}

export class LevelMenu {
  private readonly button = byId<HTMLButtonElement>("notify-level");
  private readonly menu = byId<HTMLUListElement>("notify-levels");
  private readonly items = [...this.menu.querySelectorAll<HTMLButtonElement>("[data-level]")];

  constructor(
    private readonly socket: ChatSocket,
    private readonly current: () => Conversation,
  ) {
    this.button.addEventListener("click", () => (this.menu.hidden ? this.open() : this.close()));
    for (const item of this.items) {
      item.addEventListener("click", () => void this.choose(item.dataset.level as NotifyLevel));
    }
    this.menu.addEventListener("keydown", (e) => this.key(e));
    document.addEventListener("pointerdown", (e) => {
      if (!this.menu.hidden && !(e.target as Element).closest(".level-menu")) this.close(false);
    });
  }

  private open(): void {
    this.render();
    this.menu.hidden = false;
    this.button.setAttribute("aria-expanded", "true");
    (this.items.find((i) => i.getAttribute("aria-checked") === "true") ?? this.items[0]).focus();
  }

  private close(refocus = true): void {
    this.menu.hidden = true;
    this.button.setAttribute("aria-expanded", "false");
    if (refocus) this.button.focus();
  }

  private render(): void {
    const level = levelOf(this.current());
    for (const item of this.items) {
      item.setAttribute("aria-checked", String(item.dataset.level === level));
    }
  }

  private key(e: KeyboardEvent): void {
    const at = this.items.indexOf(document.activeElement as HTMLButtonElement);
    const move = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (move) {
      e.preventDefault();
      this.items[(at + move + this.items.length) % this.items.length].focus();
    } else if (e.key === "Home" || e.key === "End") {
      e.preventDefault();
      this.items[e.key === "Home" ? 0 : this.items.length - 1].focus();
    } else if (e.key === "Escape" || e.key === "Tab") {
      e.preventDefault();
      this.close();
    }
  }

  private async choose(level: NotifyLevel): Promise<void> {
    const conv = this.current();
    const ack = await request(this.socket, "notify", { ...conv.target, level });
    if (ack?.ok) conv.level = level;
    else this.button.title = t.levelSaveFailed;
    this.render();
    this.close();
    if (ack?.ok) this.button.title = t.notifyMenu;
  }
}
