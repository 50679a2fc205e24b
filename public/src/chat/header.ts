// The conversation header: the group room, another room (name, topic, member count and the
// actions this user may take), or a clearly marked private conversation.
import type { Room, User } from "../../../common/events";
import { avatarUrl, byId, h, icon } from "./dom";
import { t } from "./i18n";

export type HeaderActions = { leave(): void; remove(): void; add(): void };

export class ConversationHeader {
  private readonly convIcon = byId("conv-icon");
  private readonly avatar = byId<HTMLImageElement>("conv-avatar");
  private readonly name = byId("conv-name");
  private readonly sub = byId("conv-sub");
  private readonly leave = byId<HTMLButtonElement>("room-leave");
  private readonly remove = byId<HTMLButtonElement>("room-delete");
  private readonly add = byId<HTMLButtonElement>("room-add");

  constructor(actions: HeaderActions) {
    this.leave.addEventListener("click", () => actions.leave());
    this.remove.addEventListener("click", () => actions.remove());
    this.add.addEventListener("click", () => actions.add());
  }

  showGroup(): void {
    this.setMode("group");
    this.name.textContent = t.group;
    this.sub.replaceChildren(t.groupSubtitle);
  }

  /** `may`: which actions this user has in the room. */
  showRoom(room: Room, may: { remove: boolean; add: boolean }): void {
    this.setMode("room", room.kind === "closed" ? "i-lock" : "i-hash");
    this.name.textContent = room.name;
    const kind = room.kind === "closed" ? t.closedRoomLabel : t.openRoomLabel;
    const parts = [room.topic, t.members(room.members)].filter(Boolean).join(" · ");
    this.sub.replaceChildren(
      h("span", { class: "sr-only", text: `${kind}. ` }),
      h("span", { class: "sub-text room-sub", text: parts }),
    );
    this.leave.hidden = false;
    this.remove.hidden = !may.remove;
    this.add.hidden = !may.add;
  }

  showPrivate(peer: User, online: boolean): void {
    this.setMode("private");
    this.avatar.src = avatarUrl(peer.avatar);
    this.name.textContent = peer.name;
    const label = online ? t.privateLabel : t.peerOffline(peer.name);
    this.sub.replaceChildren(icon("i-lock"), h("span", { class: "sub-text", text: label }));
  }

  private setMode(mode: "group" | "room" | "private", iconId = "i-hash"): void {
    document.body.classList.toggle("is-private", mode === "private");
    document.body.classList.toggle("is-room", mode === "room");
    this.convIcon.hidden = mode === "private";
    this.convIcon.replaceChildren(icon(iconId));
    this.avatar.hidden = mode !== "private";
    if (mode !== "room") {
      this.leave.hidden = true;
      this.remove.hidden = true;
      this.add.hidden = true;
    }
  }
}
