// Dialogs of rooms: "New room" (name, open or closed, members, topic), "Browse rooms" (open
// rooms to join), "Add people" to a room, and the confirmation to leave or delete one.
import type { Room, User } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import { h, visibleControls } from "./dom";
import { t } from "./i18n";
import { createModal, type Modal } from "./modal";

let fieldCount = 0;
function field(label: string, input: HTMLInputElement): HTMLElement {
  input.id = `room-field-${++fieldCount}`;
  return h("p", { class: "field" }, [h("label", { text: label, attrs: { for: input.id } }), input]);
}

function errorLine(): HTMLElement {
  return h("p", { class: "modal-error", attrs: { role: "alert" } });
}

function primary(label: string, modal: Modal): HTMLButtonElement {
  const button = h("button", { class: "primary", text: label, attrs: { type: "button" } });
  modal.actions.prepend(button);
  return button;
}

/** Checkboxes for people, by nickname. */
function peoplePicker(legend: string, people: User[]): { el: HTMLElement; chosen: () => string[] } {
  const boxes = people.map((u) => {
    const box = h("input", { attrs: { type: "checkbox", value: u.name } });
    return { box, row: h("label", { class: "pick" }, [box, ` ${u.name}`]) };
  });
  const el = h("fieldset", { class: "people" }, [
    h("legend", { text: legend }),
    ...(boxes.length ? boxes.map((b) => b.row) : [h("p", { class: "hint", text: t.noOneOnline })]),
  ]);
  return { el, chosen: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value) };
}

/** Shows an ack's error in the dialog; true when it was ok. */
function settle(ack: { ok: boolean; error?: { code: string } } | null, error: HTMLElement) {
  if (ack?.ok) return true;
  const code = ack?.error?.code as keyof typeof t.roomErrors | undefined;
  error.textContent = (code && t.roomErrors[code]) || t.roomFailed;
  return false;
}

export class RoomDialogs {
  constructor(
    private readonly socket: ChatSocket,
    private readonly onlineOthers: () => User[],
    private readonly opened: (room: Room) => void,
  ) {}

  newRoom(): void {
    const modal = createModal(t.newRoom, t.cancel);
    const name = h("input", { attrs: { type: "text", maxlength: "40", autocomplete: "off" } });
    const topic = h("input", { attrs: { type: "text", maxlength: "200", autocomplete: "off" } });
    // The radio is named by its label alone ("Open", "Closed"); the hint describes it.
    const radio = (value: "open" | "closed", label: string, hint: string) => {
      const hintId = `room-kind-${value}-hint`;
      const input = h("input", {
        attrs: { type: "radio", name: "room-kind", value, "aria-describedby": hintId },
      });
      return {
        input,
        el: h("div", { class: "pick" }, [
          h("label", {}, [input, ` ${label}`]),
          " ",
          h("span", { class: "hint", text: hint, attrs: { id: hintId } }),
        ]),
      };
    };
    const open = radio("open", t.open, t.openHint);
    const closed = radio("closed", t.closed, t.closedHint);
    open.input.checked = true;
    const people = peoplePicker(t.roomMembersPick, this.onlineOthers());
    people.el.hidden = true;
    for (const r of [open, closed]) {
      r.input.addEventListener("change", () => (people.el.hidden = !closed.input.checked));
    }
    const error = errorLine();
    const form = h("form", { class: "room-form" }, [
      field(t.roomName, name),
      h("fieldset", { class: "kind" }, [h("legend", { text: t.roomKind }), open.el, closed.el]),
      people.el,
      field(t.roomTopic, topic),
      error,
    ]);
    modal.body.append(form);
    const create = primary(t.create, modal);
    const submit = async () => {
      create.disabled = true;
      const kind = closed.input.checked ? "closed" : "open";
      const ack = await request<{ room: Room }>(this.socket, "room:create", {
        name: name.value,
        kind,
        topic: topic.value,
        members: kind === "closed" ? people.chosen() : [],
      });
      create.disabled = false;
      if (!settle(ack, error) || !ack?.ok) return name.focus();
      modal.dialog.close();
      this.opened(ack.room);
    };
    create.addEventListener("click", () => void submit());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void submit();
    });
    this.show(modal, name);
  }

  async browse(isMember: (roomId: string) => boolean): Promise<void> {
    const modal = createModal(t.browseRooms);
    const error = errorLine();
    const list = h("ul", { class: "browse-list", attrs: { "aria-label": t.browseRooms } });
    modal.body.append(list, error);
    this.show(modal);
    const ack = await request<{ rooms: Room[] }>(this.socket, "room:list", {});
    if (!settle(ack, error) || !ack?.ok) return;
    const rooms = ack.rooms.filter((r) => r.kind === "open" && r.id !== "group");
    if (rooms.length === 0) list.append(h("li", { class: "hint", text: t.noOpenRooms }));
    for (const room of rooms) {
      const member = isMember(room.id);
      const button = h("button", {
        class: "secondary",
        text: member ? t.openRoom : t.join,
        attrs: { type: "button", "aria-label": `${member ? t.openRoom : t.join} ${room.name}` },
      });
      button.addEventListener("click", async () => {
        if (!member) {
          const joined = await request<{ room: Room }>(this.socket, "room:join", { room: room.id });
          if (!settle(joined, error) || !joined?.ok) return;
        }
        modal.dialog.close();
        this.opened(room);
      });
      list.append(
        h("li", { class: "browse-room" }, [
          h("span", { class: "browse-name" }, [
            h("strong", { text: room.name }),
            " ",
            h("span", { class: "hint" }, [
              ...(room.topic
                ? [h("bdi", { class: "browse-topic" }, visibleControls(room.topic)), " · "]
                : []),
              t.memberCount(room.members),
            ]),
          ]),
          button,
        ]),
      );
    }
  }

  addPeople(room: Room): void {
    const modal = createModal(t.addPeople, t.cancel);
    const people = peoplePicker(t.roomMembersPick, this.onlineOthers());
    const error = errorLine();
    modal.body.append(people.el, error);
    const add = primary(t.add, modal);
    add.addEventListener("click", async () => {
      for (const name of people.chosen()) {
        const ack = await request(this.socket, "room:add", { room: room.id, name });
        if (!settle(ack, error)) return;
      }
      modal.dialog.close();
    });
    this.show(modal);
  }

  /** Asks before leaving or deleting (`text`: the question, names isolated); `act` answers the ack. */
  confirm(
    title: string,
    text: (Node | string)[],
    label: string,
    act: () => Promise<{ ok: boolean } | null>,
  ): void {
    const modal = createModal(title, t.cancel);
    const error = errorLine();
    modal.body.append(h("p", {}, text), error);
    const button = primary(label, modal);
    button.classList.add("danger");
    button.addEventListener("click", async () => {
      button.disabled = true;
      const ack = await act();
      button.disabled = false;
      if (settle(ack as { ok: boolean; error?: { code: string } } | null, error))
        modal.dialog.close();
    });
    this.show(modal);
  }

  /** Opens the dialog; it is removed from the page once closed. */
  private show(modal: Modal, focus?: HTMLElement): void {
    modal.dialog.addEventListener("close", () => modal.dialog.remove());
    modal.dialog.showModal();
    focus?.focus();
  }
}
