// The "Rooms" list: the group room first (rendered by the server, so it is there before the
// socket connects), then the other rooms the user is in, each with unread and mention badges.
import { GROUP_ROOM_ID, type Room } from "../../../common/events";
import { byId, fillBadges, h, icon } from "./dom";
import { t } from "./i18n";

export type RoomCounts = { unread: number; mentions: number };

export class RoomsList {
  private readonly list = byId<HTMLUListElement>("rooms");
  private readonly rooms = new Map<string, Room>();
  private readonly buttons = new Map<string, HTMLButtonElement>();

  constructor(
    private readonly onOpen: (roomId: string) => void,
    private readonly counts: (roomId: string) => RoomCounts,
  ) {
    const group = byId<HTMLButtonElement>("room-group");
    group.addEventListener("click", () => this.onOpen(GROUP_ROOM_ID));
    this.buttons.set(GROUP_ROOM_ID, group);
  }

  has(roomId: string): boolean {
    return this.rooms.has(roomId);
  }

  get(roomId: string): Room | undefined {
    return this.rooms.get(roomId);
  }

  all(): Room[] {
    return [...this.rooms.values()];
  }

  /** The snapshot after `online`: every room the user is in, the group room first. */
  setAll(rooms: Room[]): void {
    this.rooms.clear();
    for (const r of rooms) this.rooms.set(r.id, r);
    this.render();
  }

  upsert(room: Room): void {
    this.rooms.set(room.id, room);
    this.render();
  }

  remove(roomId: string): void {
    if (roomId === GROUP_ROOM_ID) return;
    this.rooms.delete(roomId);
    this.buttons.delete(roomId);
    this.render();
  }

  setActive(roomId: string | null): void {
    for (const [id, button] of this.buttons) {
      if (id === roomId) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  updateBadges(roomId: string): void {
    const button = this.buttons.get(roomId);
    if (!button) return;
    const { unread, mentions } = this.counts(roomId);
    fillBadges(button, unread, mentions, { unread: t.unread, mentions: t.mentionBadge });
  }

  private render(): void {
    const others = [...this.rooms.values()]
      .filter((r) => r.id !== GROUP_ROOM_ID)
      .sort((a, b) => a.name.localeCompare(b.name));
    const items = [this.buttons.get(GROUP_ROOM_ID)!.closest("li")!];
    for (const room of others) {
      let button = this.buttons.get(room.id);
      if (!button) {
        button = h("button", { class: "user-row room-row", attrs: { type: "button" } });
        button.addEventListener("click", () => this.onOpen(room.id));
        this.buttons.set(room.id, button);
      }
      const kind = room.kind === "closed" ? "i-lock" : "i-hash";
      button.replaceChildren(
        h("span", { class: "room-icon" }, [icon(kind)]),
        h("span", { class: "user-name", text: room.name }),
      );
      this.updateBadges(room.id);
      items.push(button.closest("li") ?? h("li", { class: "room" }, [button]));
    }
    const current = [...this.list.children];
    if (items.length !== current.length || items.some((li, i) => li !== current[i])) {
      this.list.replaceChildren(...items);
    }
    this.updateBadges(GROUP_ROOM_ID);
  }
}
