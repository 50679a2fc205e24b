// The chat page's entry point: who we are comes from the page, everything else from the socket.
import type { User } from "../../common/events";
import { AccountDialog } from "./chat/account-dialog";
import { openConnection } from "./chat/connection";
import { ChatController } from "./chat/controller";
import { GROUP, roomKey } from "./chat/conversation";
import { setupDevices } from "./chat/devices";
import { byId } from "./chat/dom";
import { moderationDecorator } from "./chat/moderation";
import { followLinks } from "./chat/deep-link";
import { setupGuestNotice } from "./chat/guest-notice";
import { LevelMenu } from "./chat/level-menu";
import { setupNotificationButton } from "./chat/notify";
import { registerWorker, unsubscribeOnLogout } from "./chat/push";
import { RoomsSync } from "./chat/rooms-sync";
import { MessageSearch } from "./chat/search";
import { t } from "./chat/i18n";

const me = JSON.parse(document.body.dataset.me ?? "null") as User;

// The first "connect" comes asynchronously, after the controller below exists.
const socket = openConnection(byId("banner"), {
  onConnect: () => {
    void chat.sync();
    chat.outbox.flush();
  },
});
const chat = new ChatController(socket, me);
chat.sidebar.decorate = moderationDecorator(me, socket);

socket.on("textmsg", (m) => chat.receive(m));
// A new picture (the `user` event, or this page's own Account dialog).
const userChanged = (user: User) => chat.userChanged(user);
socket.on("user", ({ user }) => userChanged(user));
socket.on("online", (payload) => {
  chat.sidebar.setOnline(payload);
  chat.presenceChanged();
});
socket.on("presence", (payload) => {
  chat.sidebar.applyPresence(payload);
  chat.presenceChanged();
});
socket.on("typing", ({ from, to, room }) => {
  if (from.id !== me.id) chat.typing.heard(to ? from.id : room ? roomKey(room) : GROUP, from);
});
new RoomsSync(chat, socket);
followLinks(chat, socket);
new LevelMenu(socket, () => chat.current);
socket.on("message:update", (m) => chat.update(m));
new MessageSearch(
  socket,
  (m) =>
    m.to
      ? t.privateLabel
      : m.room && m.room !== GROUP
        ? (chat.rooms.room(roomKey(m.room))?.name ?? t.rooms)
        : t.group,
  (m) => chat.openAt(m),
);

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) chat.markRead();
});

// Esc closes the topmost overlay and nothing else: pickers, menus and dialogs close
// themselves (and stop the key), so what reaches here may only close the phone sidebar.
// It never changes the conversation: a stray Escape must not send the next line to Group.
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.isComposing || e.defaultPrevented) return;
  if (chat.sidebar.isOpen()) {
    chat.sidebar.setOpen(false);
    byId("toggle").focus();
  }
});

registerWorker();
setupNotificationButton();
setupDevices();
const account = new AccountDialog(me, userChanged);
setupGuestNotice(account);
void account.refresh();
unsubscribeOnLogout(document.querySelector<HTMLFormElement>("form.logout")!);
