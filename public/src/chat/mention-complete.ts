// "@" completion in the message box: "@" and the first letters of a nickname suggest people in
// a listbox under the composer; arrows move, Enter or Tab picks, Esc closes.
import type { User } from "../../../common/events";
import { nicknameKey } from "../../../common/names";
import { avatarImg, byId, h } from "./dom";

const MAX_SUGGESTIONS = 6;
/** "@" at the start or after a space, then the letters typed so far, right before the caret. */
const TRIGGER = /(?:^|\s)@([^\s@]{0,24})$/u;

export class MentionComplete {
  private readonly list = byId<HTMLUListElement>("mention-list");
  private matches: User[] = [];
  private index = 0;
  private start = -1;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly candidates: () => User[],
  ) {
    input.setAttribute("aria-autocomplete", "list");
    // Capture: runs before the composer's own Enter handler on the same element.
    input.addEventListener("keydown", (e) => this.key(e), { capture: true });
    input.addEventListener("input", () => this.update());
    input.addEventListener("click", () => this.update());
    input.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
  }

  private update(): void {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const before = this.input.value.slice(0, caret);
    const match = TRIGGER.exec(before);
    if (!match) return this.close();
    const typed = nicknameKey(match[1]);
    this.start = caret - match[1].length - 1;
    this.matches = this.candidates()
      .filter((u) => nicknameKey(u.name).startsWith(typed))
      .slice(0, MAX_SUGGESTIONS);
    if (this.matches.length === 0) return this.close();
    this.index = Math.min(this.index, this.matches.length - 1);
    this.render();
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.matches.map((u, i) => {
        const option = h(
          "li",
          {
            class: "mention-option",
            attrs: {
              id: `mention-option-${i}`,
              role: "option",
              "aria-selected": String(i === this.index),
            },
          },
          [avatarImg(u.avatar, 24), h("span", { text: u.name })],
        );
        // mousedown, not click: the textarea keeps its focus.
        option.addEventListener("mousedown", (e) => {
          e.preventDefault();
          this.pick(i);
        });
        return option;
      }),
    );
    this.list.hidden = false;
    this.input.setAttribute("aria-controls", this.list.id);
    this.input.setAttribute("aria-activedescendant", `mention-option-${this.index}`);
  }

  private get isOpen(): boolean {
    return !this.list.hidden;
  }

  private key(e: KeyboardEvent): void {
    if (!this.isOpen || e.isComposing) return;
    const n = this.matches.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      this.index = (this.index + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.render();
    } else if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
      this.pick(this.index);
    } else if (e.key === "Escape") {
      this.close();
    } else {
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
  }

  private pick(i: number): void {
    const user = this.matches[i];
    if (!user || this.start < 0) return this.close();
    const caret = this.input.selectionStart ?? this.input.value.length;
    const value = this.input.value;
    const inserted = `@${user.name} `;
    this.input.value = value.slice(0, this.start) + inserted + value.slice(caret);
    const at = this.start + inserted.length;
    this.input.setSelectionRange(at, at);
    this.close();
    this.input.focus();
    this.input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  close(): void {
    this.list.hidden = true;
    this.list.replaceChildren();
    this.matches = [];
    this.index = 0;
    this.input.removeAttribute("aria-activedescendant");
    this.input.removeAttribute("aria-controls");
  }
}
