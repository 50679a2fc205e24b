// The conversation header: the group room, a room (name, topic, members, and the actions the
// user may take there), or a clearly marked private conversation. Its name shows at every
// width; where the header is narrow, the room's actions fold into a "Room actions" popup
// (the same buttons, by the same names, once it is open).
import type { Room, User } from "../../../common/events";
import { showAvatar } from "./avatars";
import { byId, h, icon, sentence, visibleControls } from "./dom";
import { t } from "./i18n";
import { PopupMenu } from "./popup-menu";

export type RoomActions = { leave: boolean; remove: boolean; add: boolean };

export class ConversationHeader {
  private readonly convIcon = byId("conv-icon");
  private readonly avatar = byId<HTMLImageElement>("conv-avatar");
  private readonly name = byId("conv-name");
  private readonly sub = byId("conv-sub");
  /** The actions and the button that shows them where the header is narrow. */
  private readonly roomMenu = byId("room-menu");
  readonly leave = byId<HTMLButtonElement>("leave-room");
  readonly remove = byId<HTMLButtonElement>("delete-room");
  readonly add = byId<HTMLButtonElement>("add-people");
  /** Back to the group room, for phones (where the Rooms list is folded away). */
  private readonly back = byId<HTMLButtonElement>("group");
  private readonly badge = byId("group-badge");
  private readonly badgeText = byId("group-unread-text");
  private readonly actionsMenu = new PopupMenu({
    button: byId<HTMLButtonElement>("room-menu-button"),
    popup: byId("room-actions"),
    root: this.roomMenu,
    items: () => [this.add, this.leave, this.remove],
    hideWhenClosed: false,
  });
  /** Which conversation is shown: the actions popup closes when it changes, not on updates. */
  private shown = "";

  constructor(onGroup: () => void) {
    this.back.addEventListener("click", onGroup);
    // Registered before the actions' own handlers: the popup is closed and focus is back on
    // its button before their dialog opens, so the dialog gives focus back to that button.
    for (const action of [this.add, this.leave, this.remove]) {
      action.addEventListener("click", () => {
        if (this.actionsMenu.isOpen()) this.actionsMenu.close();
      });
    }
  }

  setGroupUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = count ? String(count) : "";
    this.badgeText.textContent = count ? t.unread(count) : "";
  }

  private kind(kind: "group" | "room" | "private", shown: string, iconId = "i-hash"): void {
    if (shown !== this.shown) this.actionsMenu.close(false);
    this.shown = shown;
    document.body.classList.toggle("is-private", kind === "private");
    document.body.classList.toggle("is-room", kind === "room");
    this.convIcon.hidden = kind === "private";
    this.convIcon.replaceChildren(icon(iconId));
    this.avatar.hidden = kind !== "private";
    this.back.hidden = kind === "group";
    if (kind !== "room") this.roomMenu.hidden = true;
  }

  showGroup(): void {
    this.kind("group", "group");
    this.name.textContent = t.group;
    this.sub.replaceChildren(t.groupSubtitle);
  }

  showRoom(room: Room, allowed: RoomActions): void {
    this.kind("room", `room:${room.id}`, room.kind === "closed" ? "i-lock" : "i-hash");
    this.name.textContent = room.name;
    const label = room.kind === "closed" ? t.closedRoomLabel : t.openRoomLabel;
    const facts = h("span", {
      class: "sub-text room-facts",
      text: `${label} · ${t.memberCount(room.members)}`,
    });
    // The topic is the room's own words: its own isolated run, controls shown, apart from the facts.
    this.sub.replaceChildren(
      ...(room.topic
        ? [h("bdi", { class: "sub-text room-topic" }, visibleControls(room.topic)), " — "]
        : []),
      facts,
    );
    this.leave.hidden = !allowed.leave;
    this.remove.hidden = !allowed.remove;
    this.add.hidden = !allowed.add;
    this.roomMenu.hidden = !(allowed.leave || allowed.remove || allowed.add);
  }

  showPrivate(peer: User, online: boolean): void {
    this.kind("private", `private:${peer.name}`);
    showAvatar(this.avatar, peer);
    this.name.textContent = peer.name;
    const label = online ? [t.privateLabel] : sentence(t.peerOffline, peer.name);
    this.sub.replaceChildren(icon("i-lock"), h("span", { class: "sub-text" }, label));
  }
}
