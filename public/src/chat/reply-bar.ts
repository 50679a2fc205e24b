// "Replying to …" above the message box: the message being answered, until it is sent or
// the reply is cancelled.
import type { Message } from "../../../common/events";
import { byId, sentence, visibleControls } from "./dom";
import { t } from "./i18n";

export class ReplyBar {
  private readonly bar = byId("reply-bar");
  private readonly label = byId("reply-label");
  private readonly snippet = byId("reply-snippet");
  /** Per conversation key, the message being answered. */
  private readonly replies = new Map<string, Message>();
  private key = "";

  constructor() {
    byId("reply-cancel").addEventListener("click", () => this.clear());
    // Escape in the composer cancels a pending reply, as the Cancel button does. Listened on
    // the form, so an open @ list (which stops the key at the textbox) closes first.
    byId("composer").addEventListener("keydown", (e) => {
      if (e.key !== "Escape" || e.isComposing || e.defaultPrevented || this.bar.hidden) return;
      e.preventDefault();
      this.clear();
    });
  }

  set(key: string, m: Message): void {
    this.replies.set(key, m);
    this.show(key);
  }

  /** Shows the reply of the conversation now on screen, if any. */
  show(key: string): void {
    this.key = key;
    const m = this.replies.get(key);
    this.bar.hidden = !m;
    if (!m) return;
    this.label.replaceChildren(...sentence(t.replyingTo, m.from.name), ":");
    this.snippet.replaceChildren(...visibleControls([...m.content].slice(0, 80).join("")));
  }

  /** The id answered by what is sent now; the reply is done then. */
  take(): string | undefined {
    const m = this.replies.get(this.key);
    this.clear();
    return m?.id;
  }

  clear(): void {
    this.replies.delete(this.key);
    this.bar.hidden = true;
  }
}
