// The online count (role="status") and the "Online users" list: others are buttons that open
// a private conversation; your own entry is marked and is not a button.
import type { OnlinePayload, PresencePayload, User } from "../../../common/events";
import { nicknameKey } from "../../../common/names";
import { rememberAvatar, userAvatarImg } from "./avatars";
import { byId, h } from "./dom";
import { t } from "./i18n";

export class Sidebar {
  private readonly users = new Map<string, User>();
  private readonly rows = new Map<string, HTMLLIElement>();
  private readonly list = byId<HTMLUListElement>("users");
  private readonly status = byId("online");
  private readonly sidebar = byId("sidebar");
  private readonly toggle = byId<HTMLButtonElement>("toggle");
  private readonly backdrop = byId("backdrop");
  private activeId: string | null = null;
  /** Extension point: adds to a user's row once, when it is created (e.g. admin actions). */
  decorate: ((user: User, li: HTMLLIElement) => void) | null = null;

  constructor(
    private readonly me: User,
    private readonly onOpen: (user: User) => void,
    private readonly unreadOf: (userId: string) => number,
  ) {
    this.toggle.addEventListener("click", () => this.setOpen(!this.isOpen()));
    this.backdrop.addEventListener("click", () => this.setOpen(false));
  }

  /** Everyone online but me. */
  others(): User[] {
    return [...this.users.values()].filter((u) => u.id !== this.me.id);
  }

  isOnline(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Somebody other than `user` who holds the same nickname now. */
  nameHeldByOther(user: User): boolean {
    const key = nicknameKey(user.name);
    return [...this.users.values()].some((u) => u.id !== user.id && nicknameKey(u.name) === key);
  }

  setOnline({ count, users }: OnlinePayload): void {
    this.users.clear();
    for (const u of users) {
      this.users.set(u.id, u);
      rememberAvatar(u);
    }
    this.users.set(this.me.id, this.me);
    this.render(count);
  }

  applyPresence({ count, joined, left }: PresencePayload): void {
    for (const u of left) if (u.id !== this.me.id) this.users.delete(u.id);
    for (const u of joined) {
      this.users.set(u.id, u);
      rememberAvatar(u);
    }
    this.render(count);
  }

  /** Someone changed its picture (the `user` event); its row's picture is redrawn by id. */
  updateUser(user: User): void {
    if (this.users.has(user.id) && user.id !== this.me.id) this.users.set(user.id, user);
  }

  setActive(userId: string | null): void {
    this.activeId = userId;
    for (const [id, li] of this.rows) {
      const button = li.querySelector("button");
      if (id === userId) button?.setAttribute("aria-current", "true");
      else button?.removeAttribute("aria-current");
    }
  }

  /** Redraws one user's unread badge (part of the button's name, after the nickname). */
  updateUnread(userId: string): void {
    const button = this.rows.get(userId)?.querySelector("button");
    if (button) fillBadge(button, this.unreadOf(userId));
  }

  markToggle(unread: boolean): void {
    this.toggle.classList.toggle("has-unread", unread);
  }

  isOpen(): boolean {
    return this.sidebar.classList.contains("open");
  }

  setOpen(open: boolean): void {
    this.sidebar.classList.toggle("open", open);
    this.backdrop.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    if (open) this.sidebar.querySelector<HTMLElement>("button.user-row")?.focus();
  }

  private render(count: number): void {
    this.status.textContent = t.online(count);
    const sorted = [...this.users.values()].sort((a, b) =>
      a.id === this.me.id ? -1 : b.id === this.me.id ? 1 : a.name.localeCompare(b.name),
    );
    // Rows are kept by user id, so a focused button survives presence updates.
    const rows = sorted.map((u) => {
      let li = this.rows.get(u.id);
      if (!li) {
        li = h("li", { class: u.id === this.me.id ? "user me" : "user" }, [this.entry(u)]);
        this.decorate?.(u, li);
        this.rows.set(u.id, li);
      }
      return li;
    });
    for (const id of this.rows.keys()) if (!this.users.has(id)) this.rows.delete(id);
    const current = [...this.list.children];
    if (rows.length !== current.length || rows.some((li, i) => li !== current[i])) {
      this.list.replaceChildren(...rows);
    }
    this.setActive(this.activeId);
  }

  private entry(u: User): HTMLElement {
    const avatar = h("span", { class: "avatar-wrap" }, [userAvatarImg(u, 32)]);
    const name = h("span", { class: "user-name", text: u.name });
    if (u.id === this.me.id) {
      return h("span", { class: "user-row" }, [
        avatar,
        name,
        h("span", { class: "you", text: t.you }),
      ]);
    }
    const button = h("button", { class: "user-row", attrs: { type: "button" } }, [avatar, name]);
    fillBadge(button, this.unreadOf(u.id));
    button.addEventListener("click", () => this.onOpen(u));
    return button;
  }
}

/** The unread badge of a person's button: part of its name, after the nickname. */
export function fillBadge(button: HTMLButtonElement, unread: number): void {
  button.querySelector(".unread")?.remove();
  if (unread === 0) return;
  button.append(
    h("span", { class: "unread" }, [
      " ",
      h("span", { class: "badge", text: String(unread), attrs: { "aria-hidden": "true" } }),
      h("span", { class: "sr-only", text: ` ${t.unread(unread)}` }),
    ]),
  );
}
