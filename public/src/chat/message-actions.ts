// What a message's buttons do: reply, react, edit inline, delete after asking; and jumping
// to a message (a reply's original, a search result), loading history around it if needed.
import type { Message, User } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import type { Conversation } from "./conversation";
import { h } from "./dom";
import { pickEmoji } from "./emoji-picker";
import { t } from "./i18n";
import { createModal } from "./modal";
import type { MessageActions } from "./message-view";

export type ActionHooks = {
  current(): Conversation;
  reply(m: Message): void;
  /** Shows the message with this id in the current conversation (loading around it). */
  jump(id: string): void;
  /** The message as the server answered it (edit, delete, reaction). */
  updated(m: Message): void;
};

export function messageActions(socket: ChatSocket, me: User, hooks: ActionHooks): MessageActions {
  const update = async (event: string, payload: unknown): Promise<string | null> => {
    const ack = await request<{ message: Message }>(socket, event, payload);
    if (ack?.ok) hooks.updated(ack.message);
    return ack?.ok ? null : (ack?.error.code ?? "internal");
  };

  return {
    canDelete(m) {
      if (m.from.id === me.id) return true;
      const conv = hooks.current();
      const moderated = !conv.peer && (!conv.room || conv.room.kind === "open");
      return me.admin === true && moderated;
    },
    reply: (m) => hooks.reply(m),
    react: (m) => pickEmoji((emoji) => void update("message:react", { id: m.id, emoji })),
    toggle: (m, emoji) => void update("message:react", { id: m.id, emoji }),
    edit: (m, item) =>
      editInline(m, item, (content) => update("message:edit", { id: m.id, content })),
    remove(m) {
      const modal = createModal(t.deleteMessage, t.cancel);
      const error = h("p", { class: "modal-error", attrs: { role: "alert" } });
      const confirm = h("button", {
        class: "primary danger",
        text: t.delete,
        attrs: { type: "button" },
      });
      modal.body.append(h("p", { text: t.confirmDeleteMessage }), error);
      modal.actions.prepend(confirm);
      confirm.addEventListener("click", async () => {
        confirm.disabled = true;
        const failed = await update("message:delete", { id: m.id });
        confirm.disabled = false;
        if (failed) error.textContent = t.editFailed;
        else modal.dialog.close();
      });
      modal.dialog.addEventListener("close", () => modal.dialog.remove());
      modal.dialog.showModal();
    },
    jump: (id) => hooks.jump(id),
  };
}

/** Replaces the message's text by an editor: Enter or Save saves, Esc or Cancel cancels. */
function editInline(
  m: Message,
  item: HTMLElement,
  save: (content: string) => Promise<string | null>,
): void {
  const text = item.querySelector<HTMLElement>(".text");
  if (!text || item.querySelector(".edit-box")) return;
  const box = h("textarea", { class: "edit-box", attrs: { "aria-label": t.edit, rows: "2" } });
  box.value = m.content;
  const error = h("p", { class: "modal-error", attrs: { role: "alert" } });
  const saveButton = h("button", { class: "mini", text: t.save, attrs: { type: "button" } });
  const cancel = h("button", { class: "mini", text: t.cancel, attrs: { type: "button" } });
  const editor = h("div", { class: "editor" }, [
    box,
    h("div", { class: "editor-actions" }, [saveButton, cancel]),
    error,
  ]);
  const close = () => {
    editor.remove();
    text.hidden = false;
  };
  const submit = async () => {
    const content = box.value.trim();
    if (!content || content === m.content) return close();
    const failed = await save(content);
    if (failed) error.textContent = t.editFailed;
    else close();
  };
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    }
  });
  saveButton.addEventListener("click", () => void submit());
  cancel.addEventListener("click", close);
  text.hidden = true;
  text.after(editor);
  box.focus();
}
