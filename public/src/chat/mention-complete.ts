// "@" autocomplete in the message box: typing "@" and the start of a nickname offers the
// people who can be mentioned in a listbox; arrows move, Enter or Tab picks, Esc closes.
import type { User } from "../../../common/events";
import { nicknameKey } from "../../../common/names";
import { byId, h } from "./dom";

const MAX_SHOWN = 8;

export class MentionComplete {
  private readonly list = byId<HTMLUListElement>("mention-list");
  private options: User[] = [];
  private selected = 0;
  private start = -1;
  private closing = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly people: () => User[],
  ) {
    input.addEventListener("input", () => this.update());
    // Closed a moment after the box loses focus (a click on an option lands first), unless
    // focus comes back meanwhile (e.g. a click elsewhere, then typing "@" again at once).
    input.addEventListener("blur", () => {
      this.closing = window.setTimeout(() => this.close(), 150);
    });
    input.addEventListener("focus", () => window.clearTimeout(this.closing));
    // Registered before the composer's own keys, so Enter picks instead of sending.
    input.addEventListener("keydown", (e) => this.key(e));
  }

  private update(): void {
    const caret = this.input.selectionStart ?? 0;
    const before = this.input.value.slice(0, caret);
    const at = before.lastIndexOf("@");
    const typed = at < 0 ? "" : before.slice(at + 1);
    const startsWord = at === 0 || (at > 0 && /\s/.test(before[at - 1]));
    if (at < 0 || !startsWord || [...typed].length > 24 || /\n/.test(typed)) return this.close();
    const key = nicknameKey(typed);
    this.start = at;
    this.options = this.people()
      .filter((u) => nicknameKey(u.name).startsWith(key))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, MAX_SHOWN);
    this.selected = 0;
    this.render();
  }

  private render(): void {
    if (this.options.length === 0) return this.close();
    this.list.replaceChildren(
      ...this.options.map((u, i) => {
        const li = h("li", {
          class: "mention-option",
          text: u.name,
          attrs: {
            role: "option",
            id: `mention-${i}`,
            "aria-selected": String(i === this.selected),
          },
        });
        li.addEventListener("mousedown", (e) => {
          e.preventDefault();
          this.pick(i);
        });
        return li;
      }),
    );
    this.list.hidden = false;
    this.input.setAttribute("aria-activedescendant", `mention-${this.selected}`);
  }

  private key(e: KeyboardEvent): void {
    if (this.list.hidden || e.isComposing) return;
    const n = this.options.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      this.selected = (this.selected + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.render();
    } else if (e.key === "Enter" || e.key === "Tab") {
      this.pick(this.selected);
    } else if (e.key === "Escape") {
      this.close();
    } else {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
  }

  private pick(i: number): void {
    const user = this.options[i];
    if (!user) return;
    const caret = this.input.selectionStart ?? this.input.value.length;
    const value = this.input.value;
    const inserted = `@${user.name} `;
    this.input.value = value.slice(0, this.start) + inserted + value.slice(caret);
    const at = this.start + inserted.length;
    this.input.setSelectionRange(at, at);
    this.close();
    this.input.dispatchEvent(new Event("input"));
    this.input.focus();
  }

  close(): void {
    this.list.hidden = true;
    this.options = [];
    this.input.removeAttribute("aria-activedescendant");
  }
}
