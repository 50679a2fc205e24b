// The conversation header: the group room, or a clearly marked private conversation with a
// "Group" button back (its badge counts unread group messages).
import type { User } from "../../../common/events";
import { avatarUrl, byId, h, icon } from "./dom";
import { t } from "./i18n";

export class ConversationHeader {
  private readonly back = byId<HTMLButtonElement>("group");
  private readonly badge = byId("group-badge");
  private readonly badgeText = byId("group-unread-text");
  private readonly groupIcon = byId("conv-icon");
  private readonly avatar = byId<HTMLImageElement>("conv-avatar");
  private readonly name = byId("conv-name");
  private readonly sub = byId("conv-sub");

  constructor(onGroup: () => void) {
    this.back.addEventListener("click", onGroup);
  }

  showGroup(): void {
    document.body.classList.remove("is-private");
    this.back.hidden = true;
    this.groupIcon.hidden = false;
    this.avatar.hidden = true;
    this.name.textContent = t.group;
    this.sub.replaceChildren(t.groupSubtitle);
  }

  showPrivate(peer: User, online: boolean): void {
    document.body.classList.add("is-private");
    this.back.hidden = false;
    this.groupIcon.hidden = true;
    this.avatar.hidden = false;
    this.avatar.src = avatarUrl(peer.avatar);
    this.name.textContent = peer.name;
    const label = online ? t.privateLabel : t.peerOffline(peer.name);
    this.sub.replaceChildren(icon("i-lock"), h("span", { class: "sub-text", text: label }));
  }

  setGroupUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = count ? String(count) : "";
    this.badgeText.textContent = count ? t.unread(count) : "";
  }
}
