// The "Rooms" list: a button per room the user is in, Group first and always there (it is in
// the page before the socket connects). Each button is named by the room's name; its unread
// and mention counts are shown as badges and told to screen readers by a description.
import type { Room } from "../../../common/events";
import type { Conversation } from "./conversation";
import { GROUP, roomKey } from "./conversation";
import { byId, h, icon } from "./dom";
import { t } from "./i18n";

export class RoomsList {
  private readonly list = byId<HTMLUListElement>("rooms");
  private readonly rows = new Map<string, HTMLLIElement>();
  private readonly rooms = new Map<string, Room>();

  constructor(
    private readonly onOpen: (key: string) => void,
    private readonly stateOf: (key: string) => Conversation | undefined,
  ) {
    const group = this.list.querySelector<HTMLLIElement>("li[data-key='group']")!;
    this.rows.set(GROUP, group);
    group.querySelector("button")!.addEventListener("click", () => this.onOpen(GROUP));
  }

  room(key: string): Room | undefined {
    return this.rooms.get(key);
  }

  /** The rooms the user is in now (the group room excluded), from the `rooms` snapshot. */
  setAll(rooms: Room[]): void {
    const keys = new Set(rooms.map((r) => roomKey(r.id)));
    for (const key of [...this.rooms.keys()]) if (!keys.has(key)) this.remove(key);
    for (const room of rooms) this.upsert(room);
  }

  upsert(room: Room): void {
    if (room.id === GROUP) return this.updateBadges(GROUP);
    const key = roomKey(room.id);
    this.rooms.set(key, room);
    let li = this.rows.get(key);
    if (!li) {
      li = this.row(key);
      this.rows.set(key, li);
    }
    li.querySelector(".room-name")!.textContent = room.name;
    li.querySelector(".room-icon")!.replaceChildren(
      icon(room.kind === "closed" ? "i-lock" : "i-hash"),
    );
    this.sort();
    this.updateBadges(key);
  }

  remove(key: string): void {
    this.rooms.delete(key);
    this.rows.get(key)?.remove();
    this.rows.delete(key);
  }

  setActive(key: string): void {
    for (const [k, li] of this.rows) {
      const button = li.querySelector("button")!;
      if (k === key) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  /** Redraws a room's badges from its conversation's counts. */
  updateBadges(key: string): void {
    const li = this.rows.get(key);
    const conv = this.stateOf(key);
    if (!li) return;
    const unread = conv?.unread ?? 0;
    const mentions = conv?.mentions ?? 0;
    const unreadBadge = li.querySelector<HTMLElement>(".unread-badge")!;
    unreadBadge.hidden = unread === 0;
    unreadBadge.textContent = unread ? String(unread) : "";
    li.querySelector<HTMLElement>(".mention-badge")!.hidden = mentions === 0;
    const told = [unread ? t.unread(unread) : "", mentions ? t.mentionCount(mentions) : ""];
    li.querySelector(".sr-only")!.textContent = told.filter(Boolean).join(", ");
  }

  private row(key: string): HTMLLIElement {
    const describedBy = `room-state-${key.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    const button = h(
      "button",
      { class: "room-row", attrs: { type: "button", "aria-describedby": describedBy } },
      [
        h("span", { class: "room-icon" }),
        h("span", { class: "room-name" }),
        h("span", { class: "badge mention-badge", text: "@", attrs: { "aria-hidden": "true" } }),
        h("span", { class: "badge unread-badge", attrs: { "aria-hidden": "true" } }),
      ],
    );
    button.addEventListener("click", () => this.onOpen(key));
    return h("li", { class: "room", attrs: { "data-key": key } }, [
      button,
      h("span", { class: "sr-only", attrs: { id: describedBy } }),
    ]);
  }

  /** Group first, then by name. */
  private sort(): void {
    const others = [...this.rooms.entries()]
      .sort(([, a], [, b]) => a.name.localeCompare(b.name))
      .map(([key]) => this.rows.get(key)!);
    const wanted = [this.rows.get(GROUP)!, ...others];
    const current = [...this.list.children];
    if (wanted.length !== current.length || wanted.some((li, i) => li !== current[i])) {
      this.list.replaceChildren(...wanted);
    }
  }
}
