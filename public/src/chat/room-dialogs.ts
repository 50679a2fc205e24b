// The room dialogs, all native <dialog>s opened with showModal (the page behind is inert, Esc
// closes): "New room", "Browse rooms", "Add people" and an in-page confirmation.
import type { AckError, Room, User } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import { byId, h } from "./dom";
import { t } from "./i18n";

function errorText(error: AckError): string {
  return t.roomErrors[error.code] ?? t.roomErrors.internal ?? error.message;
}

/** Checkboxes named with the nicknames of `users`, inside `box`. */
function userCheckboxes(box: HTMLElement, users: User[], prefix: string): void {
  box.replaceChildren(
    ...users.map((u, i) => {
      const id = `${prefix}-${i}`;
      const input = h("input", { attrs: { type: "checkbox", id, name: "member", value: u.name } });
      return h("li", {}, [input, h("label", { text: u.name, attrs: { for: id } })]);
    }),
  );
}

function checkedNames(box: HTMLElement): string[] {
  return [...box.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);
}

export class NewRoomDialog {
  private readonly dialog = byId<HTMLDialogElement>("new-room");
  private readonly form = byId<HTMLFormElement>("new-room-form");
  private readonly name = byId<HTMLInputElement>("new-room-name");
  private readonly topic = byId<HTMLInputElement>("new-room-topic");
  private readonly members = byId("new-room-members");
  private readonly memberList = byId<HTMLUListElement>("new-room-member-list");
  private readonly none = byId("new-room-none");
  private readonly error = byId("new-room-error");
  private busy = false;

  constructor(
    private readonly socket: ChatSocket,
    private readonly others: () => User[],
    private readonly created: (room: Room) => void,
  ) {
    byId("new-room-open").addEventListener("click", () => this.open());
    byId("new-room-cancel").addEventListener("click", () => this.dialog.close());
    this.form.addEventListener("change", () => this.syncKind());
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  open(): void {
    this.form.reset();
    this.error.textContent = "";
    const others = this.others();
    userCheckboxes(this.memberList, others, "new-room-member");
    this.none.hidden = others.length > 0;
    this.syncKind();
    this.dialog.showModal();
    this.name.focus();
  }

  private get kind(): "open" | "closed" {
    const closed = this.form.querySelector<HTMLInputElement>('input[name="kind"][value="closed"]');
    return closed?.checked ? "closed" : "open";
  }

  private syncKind(): void {
    this.members.hidden = this.kind !== "closed";
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    const name = this.name.value.trim();
    if (!name) {
      this.error.textContent = t.roomErrors.invalid ?? "";
      return this.name.focus();
    }
    this.busy = true;
    const kind = this.kind;
    const topic = this.topic.value.trim();
    const ack = await request(this.socket, "room:create", {
      name,
      kind,
      ...(topic && { topic }),
      ...(kind === "closed" && { members: checkedNames(this.memberList) }),
    });
    this.busy = false;
    if (!ack.ok) {
      this.error.textContent = errorText(ack.error);
      return this.name.focus();
    }
    this.dialog.close();
    this.created(ack.room);
  }
}

export class BrowseRoomsDialog {
  private readonly dialog = byId<HTMLDialogElement>("browse-rooms");
  private readonly list = byId<HTMLUListElement>("browse-list");
  private readonly status = byId("browse-status");

  constructor(
    private readonly socket: ChatSocket,
    private readonly isMember: (roomId: string) => boolean,
    private readonly joined: (room: Room) => void,
    private readonly openRoom: (roomId: string) => void,
  ) {
    byId("browse-open").addEventListener("click", () => void this.open());
    byId("browse-close").addEventListener("click", () => this.dialog.close());
  }

  async open(): Promise<void> {
    this.list.replaceChildren();
    this.status.textContent = t.loadingRooms;
    this.dialog.showModal();
    const ack = await request(this.socket, "room:list", {});
    if (!ack.ok) {
      this.status.textContent = t.roomErrors[ack.error.code] ?? t.roomErrors.internal ?? "";
      return;
    }
    const rooms = ack.rooms.filter((r) => r.id !== "group" && r.kind === "open");
    rooms.sort((a, b) => a.name.localeCompare(b.name));
    this.status.textContent = rooms.length ? "" : t.noOpenRooms;
    this.list.replaceChildren(...rooms.map((r) => this.item(r)));
  }

  private item(room: Room): HTMLLIElement {
    const member = this.isMember(room.id);
    const button = h("button", {
      class: member ? "secondary" : "primary",
      text: member ? t.openRoom : t.join,
      attrs: {
        type: "button",
        "aria-label": member ? t.openRoomNamed(room.name) : t.joinRoom(room.name),
      },
    });
    const error = h("p", { class: "dialog-error", attrs: { role: "alert" } });
    button.addEventListener("click", () => void this.choose(room, member, error));
    const about = [room.topic, t.members(room.members)].filter(Boolean).join(" · ");
    return h("li", { class: "browse-item" }, [
      h("div", { class: "browse-text" }, [
        h("p", { class: "browse-name", text: room.name }),
        h("p", { class: "browse-about", text: about }),
        error,
      ]),
      button,
    ]);
  }

  private async choose(room: Room, member: boolean, error: HTMLElement): Promise<void> {
    if (!member) {
      const ack = await request(this.socket, "room:join", { room: room.id });
      if (!ack.ok) {
        error.textContent = errorText(ack.error);
        return;
      }
      this.joined(ack.room);
    }
    this.dialog.close();
    this.openRoom(room.id);
  }
}

export class AddPeopleDialog {
  private readonly dialog = byId<HTMLDialogElement>("add-people");
  private readonly form = byId<HTMLFormElement>("add-people-form");
  private readonly title = byId("add-people-title");
  private readonly list = byId<HTMLUListElement>("add-people-list");
  private readonly none = byId("add-people-none");
  private readonly error = byId("add-people-error");
  private room: Room | undefined;

  constructor(
    private readonly socket: ChatSocket,
    private readonly others: () => User[],
    private readonly updated: (room: Room) => void,
  ) {
    byId("add-people-cancel").addEventListener("click", () => this.dialog.close());
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
  }

  open(room: Room): void {
    this.room = room;
    this.title.textContent = t.addPeopleTitle(room.name);
    this.error.textContent = "";
    const others = this.others();
    userCheckboxes(this.list, others, "add-people-member");
    this.none.hidden = others.length > 0;
    this.dialog.showModal();
    this.list.querySelector("input")?.focus();
  }

  private async submit(): Promise<void> {
    const room = this.room;
    if (!room) return;
    for (const name of checkedNames(this.list)) {
      const ack = await request(this.socket, "room:add", { room: room.id, name });
      if (!ack.ok) {
        this.error.textContent = errorText(ack.error);
        return;
      }
      this.updated(ack.room);
    }
    this.dialog.close();
  }
}

/** window.confirm, in the page: resolves true when the user confirms. */
export class ConfirmDialog {
  private readonly dialog = byId<HTMLDialogElement>("confirm");
  private readonly text = byId("confirm-text");
  private readonly ok = byId<HTMLButtonElement>("confirm-ok");
  private resolve: ((ok: boolean) => void) | undefined;

  constructor() {
    this.ok.addEventListener("click", () => this.finish(true));
    byId("confirm-cancel").addEventListener("click", () => this.finish(false));
    this.dialog.addEventListener("close", () => this.finish(false));
  }

  ask(message: string, confirmLabel: string): Promise<boolean> {
    this.finish(false);
    this.text.textContent = message;
    this.ok.textContent = confirmLabel;
    this.dialog.showModal();
    byId("confirm-cancel").focus();
    return new Promise((resolve) => (this.resolve = resolve));
  }

  private finish(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    if (this.dialog.open) this.dialog.close();
    resolve?.(ok);
  }
}
