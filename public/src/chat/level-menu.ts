// Each conversation's notification level (All, Mentions, Nothing) in a menu of its header:
// a menu button with three radio items (a PopupMenu: arrow keys move, Esc closes); a choice
// is sent as `notify` and shown once the server has stored it.
import type { NotifyLevel } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import type { Conversation } from "./conversation";
import { byId } from "./dom";
import { t } from "./i18n";
import { PopupMenu } from "./popup-menu";

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
  private readonly popup: PopupMenu;

  constructor(
    private readonly socket: ChatSocket,
    private readonly current: () => Conversation,
  ) {
    this.popup = new PopupMenu({
      button: this.button,
      popup: this.menu,
      root: this.button.closest<HTMLElement>(".level-menu")!,
      items: () => this.items,
      hideWhenClosed: true,
      onOpen: () => {
        this.render();
        return this.items.find((i) => i.getAttribute("aria-checked") === "true");
      },
    });
    for (const item of this.items) {
      item.addEventListener("click", () => void this.choose(item.dataset.level as NotifyLevel));
    }
  }

  private render(): void {
    const level = levelOf(this.current());
    for (const item of this.items) {
      item.setAttribute("aria-checked", String(item.dataset.level === level));
    }
  }

  private async choose(level: NotifyLevel): Promise<void> {
    const conv = this.current();
    const ack = await request(this.socket, "notify", { ...conv.target, level });
    if (ack?.ok) conv.level = level;
    else this.button.title = t.levelSaveFailed;
    this.render();
    this.popup.close();
    if (ack?.ok) this.button.title = t.notifyMenu;
  }
}
