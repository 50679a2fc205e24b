// Ties the pieces together: which conversation is shown, what arrives, what is unread.
import type { Message, User } from "../../../common/events";
import type { ChatSocket } from "./connection";
import { Composer } from "./composer";
import { Conversation, GROUP, conversationOf } from "./conversation";
import { ConversationHeader } from "./header";
import { HistoryLoader } from "./history-loader";
import { t } from "./i18n";
import { MessageLog } from "./message-log";
import { notifyPrivate } from "./notify";
import { Outbox } from "./outbox";
import { Sidebar } from "./sidebar";
import { TypingIndicator, TypingSender } from "./typing";

export class ChatController {
  private readonly convs = new Map<string, Conversation>([[GROUP, new Conversation(GROUP)]]);
  private active = GROUP;
  readonly sidebar: Sidebar;
  readonly typing: TypingIndicator;
  readonly outbox: Outbox;
  private readonly log: MessageLog;
  private readonly header: ConversationHeader;
  private readonly composer: Composer;
  private readonly typingSender: TypingSender;
  private readonly history: HistoryLoader;

  constructor(
    socket: ChatSocket,
    private readonly me: User,
  ) {
    this.sidebar = new Sidebar(
      me,
      (u) => this.openPrivate(u),
      (id) => this.convs.get(id)?.unread ?? 0,
    );
    this.typing = new TypingIndicator(() => this.active);
    this.typingSender = new TypingSender(socket);
    this.header = new ConversationHeader(() => this.openGroup());
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
    this.composer = new Composer({
      send: (text) => this.send(text),
      typed: () => this.typingSender.typed(this.current.peer?.name),
    });
    this.openGroup();
  }

  private get current(): Conversation {
    return this.convs.get(this.active)!;
  }

  private conversation(m: Message): Conversation {
    const { key, peer } = conversationOf(m, this.me);
    let conv = this.convs.get(key);
    if (!conv) this.convs.set(key, (conv = new Conversation(key, peer)));
    if (peer) conv.peer = peer;
    return conv;
  }

  openGroup(): void {
    this.show(this.convs.get(GROUP)!);
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
    if (conv.peer) this.header.showPrivate(conv.peer, this.sidebar.isOnline(conv.peer.id));
    else this.header.showGroup();
    this.composer.setPlaceholder(
      conv.peer ? t.placeholderPrivate(conv.peer.name) : t.placeholderGroup,
    );
    this.sidebar.setActive(conv.peer?.id ?? null);
    this.markRead(conv);
    this.log.show(conv, this.outbox.visible(conv.key));
    this.typing.render();
    if (!conv.loaded) void this.history.latest(conv);
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
    const incoming = fresh.filter((m) => m.from.id !== this.me.id).length;
    if (live && incoming && (conv.key !== this.active || document.hidden)) {
      conv.unread += incoming;
      this.showUnread(conv);
    }
    if (conv.key === this.active) {
      if (mode === "append") this.log.append(fresh);
      else this.log.refresh();
    }
    return true;
  }

  private send(text: string): void {
    const conv = this.current;
    this.typingSender.reset();
    this.outbox.add(conv.key, text, conv.peer);
  }

  /**
   * On every (re)connection: the newest page where none was fetched yet, else everything
   * after the last known id, in every conversation seen (messages missed while away).
   */
  async sync(): Promise<void> {
    for (const conv of this.convs.values()) {
      if (conv.peer && this.sidebar.nameHeldByOther(conv.peer)) continue;
      if (!conv.loaded && (conv.key === GROUP || conv.key === this.active)) {
        await this.history.latest(conv);
      } else {
        await this.history.after(conv);
      }
    }
  }

  /** Presence changed: a private peer may have come or gone. */
  presenceChanged(): void {
    const conv = this.current;
    if (conv.peer) this.header.showPrivate(conv.peer, this.sidebar.isOnline(conv.peer.id));
    for (const c of this.convs.values()) {
      if (c.peer && c.unread && !this.sidebar.isOnline(c.peer.id)) {
        c.unread = 0;
        this.showUnread(c);
      }
    }
  }

  markRead(conv: Conversation = this.current): void {
    if (conv.unread === 0) return this.updateTitle();
    conv.unread = 0;
    this.showUnread(conv);
  }

  private showUnread(conv: Conversation): void {
    if (conv.peer) this.sidebar.updateUnread(conv.peer.id);
    else this.header.setGroupUnread(conv.unread);
    this.updateTitle();
  }

  private updateTitle(): void {
    let total = 0;
    let privateTotal = 0;
    for (const c of this.convs.values()) {
      total += c.unread;
      if (c.peer) privateTotal += c.unread;
    }
    document.title = total ? `(${total}) ${t.appName}` : t.appName;
    // On phones the list is folded away: a dot on its toggle says a private message waits.
    this.sidebar.markToggle(privateTotal > 0);
  }

  get activeKey(): string {
    return this.active;
  }
}
