// Ties the pieces together: which conversation is shown, what arrives, what is unread.
import type { Message, User } from "../../../common/events";
import { isolatedText } from "../../../common/sentence";
import { AttachmentTray } from "./attachment-tray";
import { rememberAvatar } from "./avatars";
import type { ChatSocket } from "./connection";
import { Composer } from "./composer";
import { Conversation, GROUP, conversationOf } from "./conversation";
import { DirectsList } from "./directs-list";
import { ConversationHeader } from "./header";
import { HistoryLoader } from "./history-loader";
import { t } from "./i18n";
import { MentionComplete } from "./mention-complete";
import { MentionPeople } from "./mention-people";
import { MessageLog } from "./message-log";
import { notifyPrivate } from "./notify";
import { messageActions } from "./message-actions";
import { Outbox } from "./outbox";
import { reportUnread } from "./push";
import { ReplyBar } from "./reply-bar";
import { ReadMarker } from "./read-marker";
import { RoomsList } from "./rooms-list";
import { Sidebar } from "./sidebar";
import { TypingIndicator, TypingSender } from "./typing";

export class ChatController {
  readonly convs = new Map<string, Conversation>([[GROUP, new Conversation(GROUP)]]);
  private active = GROUP;
  readonly sidebar: Sidebar;
  readonly rooms: RoomsList;
  readonly directs: DirectsList;
  readonly typing: TypingIndicator;
  readonly outbox: Outbox;
  readonly header: ConversationHeader;
  readonly reads: ReadMarker;
  /** Who "@" offers where: room members, the users online, the peer. */
  readonly people: MentionPeople;
  private readonly log: MessageLog;
  private readonly composer: Composer;
  private readonly typingSender: TypingSender;
  private readonly tray: AttachmentTray;
  private readonly history: HistoryLoader;
  private readonly replyBar: ReplyBar;

  constructor(
    socket: ChatSocket,
    readonly me: User,
  ) {
    rememberAvatar(me);
    const unreadOf = (id: string) => this.convs.get(id)?.unread ?? 0;
    this.sidebar = new Sidebar(me, (u) => this.openPrivate(u), unreadOf);
    this.rooms = new RoomsList(
      (key) => this.open(key),
      (key) => this.convs.get(key),
    );
    this.directs = new DirectsList(
      (u) => this.openPrivate(u),
      unreadOf,
      (id) => this.sidebar.isOnline(id),
    );
    this.typing = new TypingIndicator(() => this.active);
    this.typingSender = new TypingSender(socket);
    this.header = new ConversationHeader(() => this.openGroup());
    this.reads = new ReadMarker(socket, me.id, (conv) => this.showUnread(conv));
    this.replyBar = new ReplyBar();
    this.log = new MessageLog(
      me,
      () => void this.history.older(this.current),
      (cid) => this.outbox.discard(cid),
      messageActions(socket, me, {
        current: () => this.current,
        reply: (m) => {
          this.replyBar.set(this.active, m);
          this.composer.input.focus();
        },
        jump: (id) => void this.jump(this.current, id),
        updated: (m) => this.update(m),
      }),
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
    const input = document.getElementById("message") as HTMLTextAreaElement;
    this.people = new MentionPeople(socket, me, () => this.sidebar.others());
    new MentionComplete(input, () => this.people.of(this.current));
    this.tray = new AttachmentTray(
      document.querySelector<HTMLElement>("main") ?? document.body,
      input,
    );
    this.composer = new Composer({
      send: (text) => this.send(text),
      typed: () => this.typingSender.typed(this.current.target),
    });
    this.open(GROUP);
  }

  get current(): Conversation {
    return this.convs.get(this.active)!;
  }

  get activeKey(): string {
    return this.active;
  }

  /** The conversation a message belongs to, made if it is new. */
  conversation(m: Message): Conversation {
    const { key, peer } = conversationOf(m, this.me);
    let conv = this.convs.get(key);
    if (!conv) this.convs.set(key, (conv = new Conversation(key, peer, this.rooms.room(key))));
    if (peer) {
      conv.peer = peer;
      this.directs.add(peer);
    }
    return conv;
  }

  /** The group room or a room, by key. */
  open(key: string): void {
    const conv = this.convs.get(key);
    if (!conv) return;
    this.sidebar.setOpen(false);
    this.show(conv);
  }

  openGroup(): void {
    this.open(GROUP);
  }

  openPrivate(peer: User): void {
    let conv = this.convs.get(peer.id);
    if (!conv) this.convs.set(peer.id, (conv = new Conversation(peer.id, peer)));
    this.sidebar.setOpen(false);
    this.show(conv);
    this.composer.input.focus();
  }

  /** Shows the conversation header, log and composer for `conv`. */
  show(conv: Conversation): void {
    this.active = conv.key;
    this.renderHeader();
    this.composer.setPlaceholder(
      conv.peer
        ? t.placeholderPrivate(isolatedText(conv.peer.name))
        : conv.room
          ? t.placeholderRoom(isolatedText(conv.room.name))
          : t.placeholderGroup,
    );
    this.sidebar.setActive(conv.peer?.id ?? null);
    this.rooms.setActive(conv.peer ? "" : conv.key);
    conv.dividerAfter = conv.unread > 0 && conv.lastRead ? conv.lastRead : null;
    this.log.show(conv, this.outbox.visible(conv.key));
    this.replyBar.show(conv.key);
    this.typing.render();
    this.markRead(conv);
    if (conv.roomId) void this.people.load(conv.roomId);
    if (!conv.loaded) void this.history.latest(conv);
  }

  renderHeader(): void {
    const conv = this.current;
    if (conv.peer) return this.header.showPrivate(conv.peer, this.sidebar.isOnline(conv.peer.id));
    if (!conv.room) return this.header.showGroup();
    const manage = conv.room.createdBy?.id === this.me.id || this.me.admin === true;
    this.header.showRoom(conv.room, {
      leave: true,
      remove: manage,
      add: conv.room.kind === "closed",
    });
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
      conv.mentions += incoming.filter((m) => m.mentions?.some((u) => u.id === this.me.id)).length;
      this.showUnread(conv);
    }
    if (conv.key === this.active) {
      if (mode === "append") this.log.append(fresh);
      else this.log.refresh();
      this.markRead(conv);
    }
    return true;
  }

  private send(text: string): boolean {
    if (this.tray.busy()) {
      this.tray.say(t.waitForUploads);
      return false;
    }
    const attachments = this.tray.take();
    if (!text && attachments.length === 0) return false;
    const conv = this.current;
    this.typingSender.sent();
    this.outbox.add(conv.key, text, {
      to: conv.peer,
      room: conv.roomId,
      replyTo: this.replyBar.take(),
      attachments,
    });
    return true;
  }

  /** An edit, delete or reaction (ours, or `message:update` from the server). */
  update(m: Message): void {
    const conv = this.convs.get(conversationOf(m, this.me).key);
    if (conv?.replace(m) && conv.key === this.active) this.log.refresh();
  }

  /** Shows the message `id` of `conv`, loading history around it when it is not here yet. */
  async jump(conv: Conversation, id: string): Promise<void> {
    if (conv.key !== this.active) this.show(conv);
    if (!conv.has(id)) await this.history.around(conv, id);
    if (conv.key === this.active) this.log.reveal(id);
  }

  /** A search result: its conversation, at the message. */
  openAt(m: Message): void {
    const conv = this.conversation(m);
    if (conv.peer) this.directs.add(conv.peer);
    this.sidebar.setOpen(false);
    void this.jump(conv, m.id);
  }

  /**
   * On every (re)connection: the newest page where none was fetched yet, else everything
   * after the last known id, in every conversation seen (messages missed while away).
   */
  async sync(): Promise<void> {
    // Members may have come or gone while the connection was down.
    const roomId = this.current.roomId;
    if (roomId) void this.people.load(roomId);
    for (const conv of this.convs.values()) {
      if (conv.peer && this.sidebar.nameHeldByOther(conv.peer)) continue;
      if (!conv.loaded && (conv.key === GROUP || conv.key === this.active)) {
        await this.history.latest(conv);
      } else if (conv.loaded) {
        await this.history.after(conv);
      }
    }
  }

  /**
   * Someone changed its picture (the `user` event, or this page's Account dialog): every
   * picture of it on the page (lists, header, messages) shows the new one, and so do those
   * drawn later, whatever picture their message carried when it was sent.
   */
  userChanged(user: User): void {
    if (user.id === this.me.id) Object.assign(this.me, user);
    rememberAvatar(user);
    this.sidebar.updateUser(user);
    this.directs.updateUser(user);
  }

  /** Presence changed: a private peer may have come or gone. */
  presenceChanged(): void {
    if (this.current.peer) this.renderHeader();
    this.directs.render();
  }

  /** The shown conversation is read, while the tab is visible. */
  markRead(conv: Conversation = this.current): void {
    if (document.hidden || conv.key !== this.active) return this.updateTitle();
    this.reads.read(conv);
  }

  showUnread(conv: Conversation): void {
    if (conv.peer) {
      this.sidebar.updateUnread(conv.peer.id);
      this.directs.render();
    } else this.rooms.updateBadges(conv.key);
    if (conv.key === GROUP) this.header.setGroupUnread(conv.unread);
    this.updateTitle();
  }

  private updateTitle(): void {
    let total = 0;
    for (const c of this.convs.values()) total += c.unread;
    document.title = total ? `(${total}) ${t.appName}` : t.appName;
    reportUnread(total);
    // On phones the list is folded away: a dot on its toggle says something waits.
    this.sidebar.markToggle(total > 0);
  }
}
