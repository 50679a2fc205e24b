// "Direct messages": private conversations with people who still hold their nicknames but
// are offline, so such a conversation stays in the sidebar after a reload. People online are
// in "Online users" (one button per person on the page).
import type { User } from "../../../common/events";
import { userAvatarImg } from "./avatars";
import { byId, h } from "./dom";
import { fillBadge } from "./sidebar";

export class DirectsList {
  private readonly list = byId<HTMLUListElement>("directs");
  private readonly heading = byId("directs-heading");
  private readonly peers = new Map<string, User>();

  constructor(
    private readonly onOpen: (peer: User) => void,
    private readonly unreadOf: (userId: string) => number,
    private readonly isOnline: (userId: string) => boolean,
  ) {}

  /** A conversation with `peer` exists (snapshot, or a message came or went). */
  add(peer: User): void {
    this.peers.set(peer.id, peer);
    this.render();
  }

  /** `peer` changed its picture. */
  updateUser(peer: User): void {
    if (this.peers.has(peer.id)) this.add(peer);
  }

  /** `peer` released its nickname: the conversation cannot go on. */
  forget(userId: string): void {
    if (this.peers.delete(userId)) this.render();
  }

  render(): void {
    const offline = [...this.peers.values()]
      .filter((p) => !this.isOnline(p.id))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.list.replaceChildren(
      ...offline.map((peer) => {
        const button = h("button", { class: "user-row offline", attrs: { type: "button" } }, [
          h("span", { class: "avatar-wrap" }, [userAvatarImg(peer, 32)]),
          h("span", { class: "user-name", text: peer.name }),
        ]);
        fillBadge(button, this.unreadOf(peer.id));
        button.addEventListener("click", () => this.onOpen(peer));
        return h("li", { class: "user" }, [button]);
      }),
    );
    this.list.hidden = offline.length === 0;
    this.heading.hidden = offline.length === 0;
  }
}
