// Rooms and read state from the server: the `rooms` snapshot after every connect, `room`
// and `room:removed` as rooms change, `read` from the user's other tabs and devices; and the
// room actions of the header and sidebar (new, browse, add people, leave, delete).
import type { ReadEvent, Room, RoomsPayload } from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import type { ChatController } from "./controller";
import { Conversation, GROUP, roomKey } from "./conversation";
import { byId, sentence } from "./dom";
import { t } from "./i18n";
import { RoomDialogs } from "./room-dialogs";

export class RoomsSync {
  private readonly dialogs: RoomDialogs;

  constructor(
    private readonly chat: ChatController,
    private readonly socket: ChatSocket,
  ) {
    this.dialogs = new RoomDialogs(
      socket,
      () => chat.sidebar.others(),
      (room) => this.joined(room),
    );
    socket.on("rooms", (p) => this.snapshot(p));
    socket.on("room", ({ room, joined }) => this.changed(room, joined === true));
    socket.on("room:removed", ({ room }) => this.removed(room));
    socket.on("read", (e) => this.read(e));
    byId("new-room").addEventListener("click", () => this.dialogs.newRoom());
    byId("browse-rooms").addEventListener(
      "click",
      () => void this.dialogs.browse((id) => chat.convs.has(roomKey(id))),
    );
    const { header } = chat;
    header.add.addEventListener("click", () =>
      this.withRoom((room) => this.dialogs.addPeople(room)),
    );
    header.leave.addEventListener("click", () =>
      this.withRoom((room) =>
        this.dialogs.confirm(t.leaveRoom, sentence(t.confirmLeave, room.name), t.leaveRoom, () =>
          request(socket, "room:leave", { room: room.id }),
        ),
      ),
    );
    header.remove.addEventListener("click", () =>
      this.withRoom((room) =>
        this.dialogs.confirm(t.deleteRoom, sentence(t.confirmDelete, room.name), t.deleteRoom, () =>
          request(socket, "room:delete", { room: room.id }),
        ),
      ),
    );
  }

  private withRoom(act: (room: Room) => void): void {
    const room = this.chat.current.room;
    if (room) act(room);
  }

  /** Right after `online`: the rooms the user is in and its private conversations, with counts. */
  private snapshot({ rooms, directs }: RoomsPayload): void {
    const { chat } = this;
    const mine: Room[] = [];
    for (const state of rooms) {
      const key = roomKey(state.id);
      const conv = this.ensure(key, state.id === GROUP ? undefined : state);
      conv.unread = state.unread;
      conv.mentions = state.mentions;
      conv.lastRead = state.lastRead;
      conv.level = state.level;
      if (state.id !== GROUP) mine.push(state);
    }
    chat.rooms.setAll(mine);
    for (const key of [...chat.convs.keys()]) {
      if (key.startsWith("r:") && !mine.some((r) => roomKey(r.id) === key)) this.forget(key);
    }
    for (const d of directs) {
      let conv = chat.convs.get(d.user.id);
      if (!conv) chat.convs.set(d.user.id, (conv = new Conversation(d.user.id, d.user)));
      conv.unread = d.unread;
      conv.lastRead = d.lastRead;
      conv.level = d.level;
      chat.directs.add(d.user);
      chat.sidebar.updateUnread(d.user.id);
    }
    for (const conv of chat.convs.values()) chat.showUnread(conv);
    chat.markRead();
  }

  private ensure(key: string, room?: Room): Conversation {
    let conv = this.chat.convs.get(key);
    if (!conv) this.chat.convs.set(key, (conv = new Conversation(key, undefined, room)));
    if (room) conv.room = room;
    return conv;
  }

  /** A room was created, changed, or the user was added to it. */
  private changed(room: Room, joined: boolean): void {
    const key = roomKey(room.id);
    const known = this.chat.convs.get(key);
    // Open rooms are announced to everyone: only those the user is in are listed.
    if (!known && !joined && room.kind === "open") return;
    this.ensure(key, room);
    this.chat.rooms.upsert(room);
    if (this.chat.activeKey !== key) return;
    this.chat.renderHeader();
    // Somebody came or went: "@" offers the members as they are now.
    void this.chat.people.load(room.id);
  }

  /** The user created or joined a room here: list it and open it. */
  private joined(room: Room): void {
    const key = roomKey(room.id);
    this.ensure(key, room);
    this.chat.rooms.upsert(room);
    this.chat.open(key);
  }

  private removed(roomId: string): void {
    this.forget(roomKey(roomId));
  }

  private forget(key: string): void {
    const { chat } = this;
    chat.rooms.remove(key);
    const roomId = chat.convs.get(key)?.roomId;
    if (roomId) chat.people.forget(roomId);
    chat.convs.delete(key);
    if (chat.activeKey === key) chat.openGroup();
  }

  private read(e: ReadEvent): void {
    const key = e.with ? e.with.id : roomKey(e.room ?? GROUP);
    const conv = this.chat.convs.get(key);
    if (conv) this.chat.reads.apply(conv, e);
  }
}
