// Notifications: the button asks for permission (browsers only ask after a user gesture)
// and then subscribes this browser to Web Push, so messages arrive with the tab closed.
// Where push is unavailable (no service worker, e.g. plain http on a LAN), private messages
// still show as page notifications while the tab is hidden.
import type { Message } from "../../../common/events";
import { withNewestAvatar } from "./avatars";
import { avatarUrl, byId } from "./dom";
import { t } from "./i18n";
import { pushSupported, subscribePush } from "./push";

const supported = () => "Notification" in window;

export function setupNotificationButton(): void {
  const button = byId<HTMLButtonElement>("notify");
  if (!supported()) return;
  // Allowed earlier: keep this browser's subscription current, no gesture needed.
  if (Notification.permission === "granted") {
    void subscribePush();
    return;
  }
  if (Notification.permission !== "default") return;
  button.hidden = false;
  button.addEventListener("click", () => {
    void Notification.requestPermission()
      .then(async (permission) => {
        if (permission === "granted" && pushSupported()) await subscribePush();
      })
      .finally(() => {
        button.hidden = Notification.permission !== "default";
      });
  });
}

export function notifyPrivate(m: Message, open: () => void): void {
  if (!document.hidden || !supported() || Notification.permission !== "granted") return;
  const n = new Notification(t.notificationTitle(m.from.name), {
    body: m.content.length > 200 ? `${m.content.slice(0, 200)}…` : m.content,
    icon: avatarUrl(withNewestAvatar(m.from).avatar),
    tag: `private-${m.from.id}`,
  });
  n.addEventListener("click", () => {
    window.focus();
    open();
    n.close();
  });
}
