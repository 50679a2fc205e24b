// The message box: Enter sends, Shift+Enter adds a line, it grows with its text.
import { byId } from "./dom";

const MAX_HEIGHT_PX = 160;

export type ComposerHooks = {
  /** Whether it was sent (text, files or both); false keeps what is typed. */
  send(text: string): boolean;
  typed(): void;
};

export class Composer {
  private readonly form = byId<HTMLFormElement>("composer");
  readonly input = byId<HTMLTextAreaElement>("message");

  constructor(hooks: ComposerHooks) {
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.input.addEventListener("input", () => {
      this.autosize();
      if (this.input.value.trim()) hooks.typed();
    });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      const text = this.input.value.trim();
      if (!hooks.send(text)) return;
      this.input.value = "";
      this.autosize();
      this.input.focus();
    });
  }

  setPlaceholder(text: string): void {
    this.input.placeholder = text;
  }

  private autosize(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }
}
