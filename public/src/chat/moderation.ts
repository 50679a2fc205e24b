// Admins see Kick and Ban on other users' entries in "Online users"; each asks for a
// confirmation in an in-page dialog, then sends `moderate`.
import type { Ack, ModerateAction, User } from "../../../common/events";
import type { ChatSocket } from "./connection";
import { ACK_TIMEOUT_MS } from "./connection";
import { h, sentence } from "./dom";
import { t } from "./i18n";
import { createModal } from "./modal";

type Decorate = (user: User, li: HTMLLIElement) => void;

/** The Sidebar's row decorator for an admin; null for everyone else. */
export function moderationDecorator(me: User, socket: ChatSocket): Decorate | null {
  if (me.admin !== true) return null;
  const { dialog, body, actions } = createModal(t.kick, t.cancel);
  const question = h("p");
  const error = h("p", { class: "modal-error", attrs: { role: "alert" } });
  const confirm = h("button", { class: "primary danger", attrs: { type: "button" } });
  body.append(question, error);
  actions.prepend(confirm);
  let pending: { action: ModerateAction; user: User } | null = null;

  const ask = (action: ModerateAction, user: User) => {
    pending = { action, user };
    dialog.querySelector("h2")!.textContent = action === "kick" ? t.kick : t.ban;
    question.replaceChildren(
      ...sentence(action === "kick" ? t.confirmKick : t.confirmBan, user.name),
    );
    confirm.textContent = action === "kick" ? t.kick : t.ban;
    error.textContent = "";
    dialog.showModal();
  };

  confirm.addEventListener("click", () => {
    if (!pending) return;
    const { action, user } = pending;
    confirm.disabled = true;
    socket
      .timeout(ACK_TIMEOUT_MS)
      .emit("moderate", { action, name: user.name }, (err, ack: Ack) => {
        confirm.disabled = false;
        if (!err && ack.ok) return dialog.close();
        error.textContent = t.moderationFailed;
      });
  });

  return (user, li) => {
    if (user.id === me.id) return;
    const button = (action: ModerateAction, label: string, name: string) => {
      const b = h("button", {
        class: `mod-action ${action}`,
        text: label,
        attrs: { type: "button", "aria-label": name },
      });
      b.addEventListener("click", () => ask(action, user));
      return b;
    };
    li.append(
      h("span", { class: "mod-actions" }, [
        button("kick", t.kick, t.kickUser(user.name)),
        button("ban", t.ban, t.banUser(user.name)),
      ]),
    );
  };
}
