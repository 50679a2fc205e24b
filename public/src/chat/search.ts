// "Search messages": results newest first in the list "Search results"; choosing one opens
// its conversation at that message.
import type { Message } from "../../../common/events";
import { LIMITS } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import { byId, h, isolated, visibleControls } from "./dom";
import { formatTime, t } from "./i18n";

export class MessageSearch {
  private readonly form = byId<HTMLFormElement>("search");
  private readonly input = byId<HTMLInputElement>("search-input");
  private readonly panel = byId("search-panel");
  private readonly status = byId("search-status");
  private readonly results = byId<HTMLUListElement>("search-results");

  constructor(
    private readonly socket: ChatSocket,
    private readonly describe: (m: Message) => string,
    private readonly open: (m: Message) => void,
  ) {
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.run();
    });
    byId("search-close").addEventListener("click", () => this.close());
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.panel.hidden) {
        e.stopPropagation();
        this.close();
      }
    });
  }

  private async run(): Promise<void> {
    const q = this.input.value.trim();
    if (!q) return this.close();
    this.panel.hidden = false;
    this.status.textContent = t.searching;
    this.results.replaceChildren();
    const ack = await request<{ messages: Message[] }>(this.socket, "search", {
      q,
      limit: LIMITS.searchMax,
    });
    const found = ack?.ok ? ack.messages : [];
    this.status.textContent = found.length ? "" : t.noResults;
    this.results.replaceChildren(...found.map((m) => this.item(m)));
  }

  private item(m: Message): HTMLLIElement {
    const button = h("button", { class: "search-result", attrs: { type: "button" } }, [
      // The sender and the conversation (a room's name) are each isolated from the rest.
      h("span", { class: "result-meta" }, [
        h("strong", { text: m.from.name }),
        " · ",
        isolated(this.describe(m), "result-conv"),
        ` · ${formatTime(m.ts)}`,
      ]),
      h("span", { class: "result-text", attrs: { dir: "auto" } }, visibleControls(m.content)),
    ]);
    button.addEventListener("click", () => this.open(m));
    return h("li", {}, [button]);
  }

  close(): void {
    this.panel.hidden = true;
    this.results.replaceChildren();
  }
}
