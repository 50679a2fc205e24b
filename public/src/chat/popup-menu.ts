// A button that opens a small popup of controls under it: the header's notification levels,
// and the room's actions where the header is too narrow to show them as buttons. The button's
// aria-expanded follows; arrow keys, Home and End move among the items shown; Escape or Tab
// closes it and gives focus back to the button, and that Escape goes no further (the page's
// own Escape handling never also acts on it); a press outside closes it.

export type PopupOptions = {
  button: HTMLButtonElement;
  popup: HTMLElement;
  /** Holds both: a press inside it does not close the popup, keys inside it are handled. */
  root: HTMLElement;
  /** The items, in order (those hidden are skipped). */
  items: () => HTMLElement[];
  /**
   * True: the popup is `hidden` while closed. False: it is shown by CSS from the button's
   * aria-expanded (the room's actions are plain buttons in the header where there is room).
   */
  hideWhenClosed: boolean;
  /** Called as it opens; returns the item to focus (default: the first). */
  onOpen?: () => HTMLElement | undefined;
};

export class PopupMenu {
  constructor(private readonly o: PopupOptions) {
    o.button.addEventListener("click", () => (this.isOpen() ? this.close() : this.open()));
    o.root.addEventListener("keydown", (e) => this.key(e));
    document.addEventListener("pointerdown", (e) => {
      if (this.isOpen() && !o.root.contains(e.target as Node)) this.close(false);
    });
  }

  /** Open, and its button on screen (where the button is not shown, nothing is a popup). */
  isOpen(): boolean {
    return (
      this.o.button.getAttribute("aria-expanded") === "true" &&
      this.o.button.getClientRects().length > 0
    );
  }

  open(): void {
    const first = this.o.onOpen?.();
    this.set(true);
    (first ?? this.shown()[0])?.focus();
  }

  close(refocus = true): void {
    this.set(false);
    if (refocus) this.o.button.focus();
  }

  private set(open: boolean): void {
    this.o.button.setAttribute("aria-expanded", String(open));
    if (this.o.hideWhenClosed) this.o.popup.hidden = !open;
  }

  private shown(): HTMLElement[] {
    return this.o.items().filter((item) => !item.hidden);
  }

  private key(e: KeyboardEvent): void {
    if (e.isComposing || !this.isOpen()) return;
    const items = this.shown();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = { ArrowDown: 1, ArrowUp: -1 }[e.key];
    if (move && items.length) {
      e.preventDefault();
      const from = at === -1 ? (move === 1 ? -1 : 0) : at;
      items[(from + move + items.length) % items.length].focus();
    } else if ((e.key === "Home" || e.key === "End") && at !== -1) {
      e.preventDefault();
      items[e.key === "Home" ? 0 : items.length - 1].focus();
    } else if (e.key === "Escape" || (e.key === "Tab" && at !== -1)) {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  }
}
