// Desktop notifications for private messages while the tab is hidden, once the user allowed them.
import type { Message } from "../../../common/events";
import { avatarUrl, byId } from "./dom";
import { t } from "./i18n";

const supported = () => "Notification" in window;

/** Offers a button to ask for permission (browsers only ask after a user gesture). */
export function setupNotificationButton(): void {
  const button = byId<HTMLButtonElement>("notify");
  if (!supported() || Notification.permission !== "default") return;
  button.hidden = false;
  button.addEventListener("click", () => {
    void Notification.requestPermission().finally(() => {
      button.hidden = Notification.permission === "default";
    });
  });
}

export function notifyPrivate(m: Message, open: () => void): void {
  if (!document.hidden || !supported() || Notification.permission !== "granted") return;
  const n = new Notification(t.notificationTitle(m.from.name), {
    body: m.content.length > 200 ? `${m.content.slice(0, 200)}…` : m.content,
    icon: avatarUrl(m.from.avatar),
    tag: `private-${m.from.id}`,
  });
  n.addEventListener("click", () => {
    window.focus();
    open();
    n.close();
  });
}
