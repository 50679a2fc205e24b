// Ties the pieces together: which conversation is shown, what arrives, what is unread.
import {
  GROUP_ROOM_ID,
  type Message,
  type ReadEvent,
  type Room,
  type RoomsPayload,
  type User,
} from "../../../common/events";
import { request, type ChatSocket } from "./connection";
import { Composer } from "./composer";
import { Conversation, GROUP, conversationOf, mentionsUser, roomKey } from "./conversation";
import { ConversationHeader } from "./header";
import { HistoryLoader } from "./history-loader";
import { t } from "./i18n";
import { MentionComplete } from "./mention-complete";
import { MessageLog } from "./message-log";
import { notifyPrivate } from "./notify";
import { Outbox } from "./outbox";
import { ReadSync } from "./read-sync";
import { RoomActions } from "./room-actions";
import { AddPeopleDialog, BrowseRoomsDialog, ConfirmDialog, NewRoomDialog } from "./room-dialogs";
import { RoomsList } from "./rooms-list";
import { Sidebar } from "./sidebar";
import { TypingIndicator, TypingSender } from "./typing";

export class ChatController {
  private readonly convs = new Map<string, Conversation>([[GROUP, new Conversation(GROUP)]]);
  private active = GROUP;
  readonly sidebar: Sidebar;
  readonly rooms: RoomsList;
  readonly typing: TypingIndicator;
  readonly outbox: Outbox;
  private readonly log: MessageLog;
  private readonly header: ConversationHeader;
  private readonly composer: Composer;
  private readonly typingSender: TypingSender;
  private readonly history: HistoryLoader;
  private readonly reads: ReadSync;
  private readonly addPeople: AddPeopleDialog;
  private readonly actions: RoomActions;

  constructor(
    private readonly socket: ChatSocket,
    private readonly me: User,
  ) {
    this.sidebar = new Sidebar(
      me,
      (u) => this.openPrivate(u),
      (id) => this.convs.get(id)?.unread ?? 0,
    );
    this.rooms = new RoomsList(
      (id) => this.openRoom(id),
      (id) => {
        const c = this.convs.get(roomKey(id));
        return { unread: c?.unread ?? 0, mentions: c?.mentions ?? 0 };
      },
    );
    this.typing = new TypingIndicator(() => this.active);
    this.typingSender = new TypingSender(socket);
    this.actions = new RoomActions(socket, new ConfirmDialog(), (id) => this.dropRoom(id));
    const inRoom = (act: (room: Room) => unknown) => () => {
      if (this.current.isRoom && this.current.room) act(this.current.room);
    };
    this.header = new ConversationHeader({
      leave: inRoom((room) => this.actions.leave(room)),
      remove: inRoom((room) => this.actions.remove(room)),
      add: inRoom((room) => this.addPeople.open(room)),
    });
    this.log = new MessageLog(
      me,
      () => void this.history.older(this.current),
      (cid) => this.outbox.discard(cid),
    );
    this.outbox = new Outbox(socket, me, {
      changed: (key) => key === this.active && this.log.setPending(this.outbox.visible(key)),
      delivered: (m) => this.merge(this.conversation(m), [m], false),
      recipientOk: (to) => !this.sidebar.nameHeldByOther(to),
    });
    this.history = new HistoryLoader(
      socket,
      this.log,
      (conv, batch, live) => this.merge(conv, batch, live),
      (conv) => conv.key === this.active,
    );
    // A released nickname may be held by someone else now: never mark their conversation.
    this.reads = new ReadSync(
      socket,
      (conv) =>
        conv.key === this.active &&
        !document.hidden &&
        !(conv.peer && this.sidebar.nameHeldByOther(conv.peer)),
    );
    this.composer = new Composer({
      send: (text) => this.send(text),
      typed: () => this.typingSender.typed(this.current.typingTarget()),
    });
    new MentionComplete(this.composer.input, () => this.sidebar.others());
    const upsert = (room: Room) => this.upsertRoom(room, true);
    new NewRoomDialog(
      socket,
      () => this.sidebar.others(),
      (room) => {
        upsert(room);
        this.openRoom(room.id);
      },
    );
    new BrowseRoomsDialog(
      socket,
      (id) => this.rooms.has(id),
      upsert,
      (id) => this.openRoom(id),
    );
    this.addPeople = new AddPeopleDialog(socket, () => this.sidebar.others(), upsert);
    this.openGroup();
  }

  private get current(): Conversation {
    return this.convs.get(this.active)!;
  }

  private conversation(m: Message): Conversation {
    const { key, peer } = conversationOf(m, this.me);
    let conv = this.convs.get(key);
    if (!conv && m.room && m.room !== GROUP_ROOM_ID) {
      // A room we are in but did not know of yet: its details come from room:list.
      conv = this.roomConv(this.placeholder(m.room));
      void this.findRoom(m.room);
    }
    if (!conv) this.convs.set(key, (conv = new Conversation(key, peer)));
    if (peer) {
      conv.peer = peer;
      this.sidebar.addDirect(peer);
    }
    return conv;
  }

  private placeholder(id: string): Room {
    return { id, name: "…", kind: "closed", topic: "", createdBy: null, members: 0 };
  }

  private async findRoom(id: string): Promise<void> {
    const ack = await request(this.socket, "room:list", {});
    const room = ack.ok ? ack.rooms.find((r) => r.id === id) : undefined;
    if (room) this.upsertRoom(room, true);
  }

  private roomConv(room: Room): Conversation {
    const key = roomKey(room.id);
    let conv = this.convs.get(key);
    if (!conv) this.convs.set(key, (conv = new Conversation(key, undefined, room)));
    conv.room = room;
    return conv;
  }

  openGroup(): void {
    this.show(this.convs.get(GROUP)!);
  }

  openRoom(roomId: string): void {
    if (this.sidebar.isOpen()) this.sidebar.setOpen(false);
    if (roomId === GROUP_ROOM_ID) return this.openGroup();
    const room = this.rooms.get(roomId);
    if (room) this.show(this.roomConv(room));
    this.composer.input.focus();
  }

  openPrivate(peer: User): void {
    let conv = this.convs.get(peer.id);
    if (!conv) this.convs.set(peer.id, (conv = new Conversation(peer.id, peer)));
    this.sidebar.setOpen(false);
    this.show(conv);
    this.composer.input.focus();
  }

  private show(conv: Conversation): void {
    this.active = conv.key;
    this.renderHeader();
    this.sidebar.setActive(conv.peer?.id ?? null);
    this.rooms.setActive(conv.peer ? null : (conv.room?.id ?? GROUP_ROOM_ID));
    conv.newSince = conv.unread > 0 ? conv.lastRead : undefined;
    this.log.show(conv, this.outbox.visible(conv.key));
    this.markRead(conv);
    this.typing.render();
    if (!conv.loaded) void this.history.latest(conv);
  }

  private renderHeader(): void {
    const conv = this.current;
    if (conv.peer) {
      this.header.showPrivate(conv.peer, this.sidebar.isOnline(conv.peer.id));
      this.composer.setPlaceholder(t.placeholderPrivate(conv.peer.name));
    } else if (conv.isRoom && conv.room) {
      const room = conv.room;
      this.header.showRoom(room, {
        remove: room.createdBy?.id === this.me.id || this.me.admin === true,
        add: room.kind === "closed",
      });
      this.composer.setPlaceholder(t.placeholderRoom(room.name));
    } else {
      this.header.showGroup();
      this.composer.setPlaceholder(t.placeholderGroup);
    }
  }

  /** A live message (or one found while filling a gap after a reconnect). */
  receive(m: Message): void {
    const conv = this.conversation(m);
    this.typing.stopped(conv.key, m.from.id);
    const fresh = this.merge(conv, [m], true);
    if (fresh && conv.peer && m.from.id !== this.me.id)
      notifyPrivate(m, () => this.openPrivate(m.from));
  }

  private merge(conv: Conversation, batch: Message[], live: boolean): boolean {
    const { mode, fresh } = conv.add(batch);
    if (mode === "none") return false;
    // Our own message seen before its ack (broadcast or history): hide its pending copy.
    for (const m of fresh) if (m.from.id === this.me.id) this.outbox.noticeEcho(m, conv.key);
    const incoming = fresh.filter((m) => m.from.id !== this.me.id && m.id > conv.lastRead);
    if (live && incoming.length && (conv.key !== this.active || document.hidden)) {
      conv.unread += incoming.length;
      conv.mentions += incoming.filter((m) => mentionsUser(m, this.me.id)).length;
      this.showUnread(conv);
    }
    if (conv.key === this.active) {
      if (mode === "append") this.log.append(fresh);
      else this.log.refresh();
      this.markRead(conv);
    }
    return true;
  }

  private send(text: string): void {
    const conv = this.current;
    this.typingSender.reset();
    this.outbox.add(conv.key, text, {
      to: conv.peer,
      room: conv.isRoom ? conv.room?.id : undefined,
    });
  }

  /**
   * On every (re)connection: the newest page where none was fetched yet, else everything
   * after the last known id, in every conversation seen (messages missed while away).
   */
  async sync(): Promise<void> {
    for (const conv of this.convs.values()) {
      if (conv.peer && this.sidebar.nameHeldByOther(conv.peer)) continue;
      if (conv.isRoom && conv.key !== this.active && !conv.loaded) continue;
      if (!conv.loaded && (conv.key === GROUP || conv.key === this.active)) {
        await this.history.latest(conv);
      } else {
        await this.history.after(conv);
      }
    }
  }

  /** The `rooms` snapshot after `online`: the rooms we are in, private conversations, unread. */
  applySnapshot({ rooms, directs }: RoomsPayload): void {
    this.rooms.setAll(rooms);
    for (const state of rooms) {
      const conv = state.id === GROUP_ROOM_ID ? this.convs.get(GROUP)! : this.roomConv(state);
      if (state.id === GROUP_ROOM_ID) conv.room = state;
      conv.unread = state.unread;
      conv.mentions = state.mentions;
      conv.lastRead = state.lastRead;
    }
    for (const d of directs) {
      let conv = this.convs.get(d.user.id);
      if (!conv) this.convs.set(d.user.id, (conv = new Conversation(d.user.id, d.user)));
      conv.unread = d.unread;
      conv.lastRead = d.lastRead;
      this.sidebar.addDirect(d.user);
    }
    // Rooms we were removed from while away.
    for (const conv of [...this.convs.values()]) {
      if (conv.isRoom && conv.room && !this.rooms.has(conv.room.id)) this.dropRoom(conv.room.id);
    }
    for (const conv of this.convs.values()) this.showUnread(conv);
    if (this.current.unread) this.current.newSince ??= this.current.lastRead;
    this.renderHeader();
    this.markRead();
  }

  /** Another tab or device (or this one) read a conversation. */
  applyRead(event: ReadEvent): void {
    const key = event.with ? event.with.id : roomKey(event.room ?? GROUP_ROOM_ID);
    const conv = this.convs.get(key);
    if (!conv) return;
    conv.applyRead(event.id, this.me.id);
    this.showUnread(conv);
  }

  /**
   * A room was created or changed, or we were added to it. `ours`: we know we are a member
   * (our own create, join or add). Open rooms are announced to everyone, so an unknown open
   * room is not ours; closed ones are only announced to their members.
   */
  upsertRoom(room: Room, ours = false): void {
    if (!ours && !this.rooms.has(room.id) && room.kind !== "closed") return;
    this.rooms.upsert(room);
    this.roomConv(room);
    if (this.current.room?.id === room.id) this.renderHeader();
  }

  /** We left the room, or it was deleted. */
  dropRoom(roomId: string): void {
    const key = roomKey(roomId);
    this.rooms.remove(roomId);
    this.reads.forget(key);
    this.convs.delete(key);
    if (this.active === key) {
      this.active = GROUP;
      this.openGroup();
    }
    this.updateTitle();
  }

  /** Presence changed: a private peer may have come or gone. */
  presenceChanged(): void {
    if (this.current.peer) this.renderHeader();
  }

  /** The conversation on screen, when the tab is visible: no longer unread, here and elsewhere. */
  markRead(conv: Conversation = this.current): void {
    if (conv.key !== this.active || document.hidden) return this.updateTitle();
    this.reads.seen(conv);
    if (conv.unread === 0 && conv.mentions === 0) return this.updateTitle();
    conv.unread = 0;
    conv.mentions = 0;
    this.showUnread(conv);
  }

  private showUnread(conv: Conversation): void {
    if (conv.peer) this.sidebar.updateUnread(conv.peer.id);
    else this.rooms.updateBadges(conv.room?.id ?? GROUP_ROOM_ID);
    this.updateTitle();
  }

  private updateTitle(): void {
    let total = 0;
    let elsewhere = 0;
    for (const c of this.convs.values()) {
      total += c.unread;
      if (c.key !== this.active) elsewhere += c.unread;
    }
    document.title = total ? `(${total}) ${t.appName}` : t.appName;
    // On phones the list is folded away: a dot on its toggle says something waits there.
    this.sidebar.markToggle(elsewhere > 0);
  }

  get activeKey(): string {
    return this.active;
  }
}
