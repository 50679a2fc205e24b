// What the browser knows of one conversation: the group room, another room, or a private one
// with a peer. Keys: GROUP, `r:<room id>`, or the peer's user id.
import {
  GROUP_ROOM_ID,
  type HistoryPayload,
  type Message,
  type Room,
  type TypingPayload,
  type User,
} from "../../../common/events";

export const GROUP = "group";

export const roomKey = (roomId: string): string =>
  roomId === GROUP_ROOM_ID ? GROUP : `r:${roomId}`;

export type AddResult = { mode: "none" | "append" | "insert"; fresh: Message[] };

const byId = (a: Message, b: Message) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Conversation {
  /** Sorted by id, which is the order the server accepted them. */
  readonly messages: Message[] = [];
  private readonly ids = new Set<string>();
  /** The newest page has been fetched from history. */
  loaded = false;
  /** Older history may exist before the first message. */
  hasMore = true;
  unread = 0;
  mentions = 0;
  /** The last message id read (from the server's read state), "" when unknown. */
  lastRead = "";
  /** While shown: the "New" divider goes above the first message after this id. */
  newSince: string | undefined;

  /** `key` is GROUP, `r:<id>` or the peer's user id; the peer's nickname may be released later. */
  constructor(
    readonly key: string,
    public peer?: User,
    public room?: Room,
  ) {}

  get isPrivate(): boolean {
    return this.peer !== undefined;
  }

  /** A room other than the group room. */
  get isRoom(): boolean {
    return this.room !== undefined && this.key !== GROUP;
  }

  get firstId(): string | undefined {
    return this.messages[0]?.id;
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  /** How `history`, `read` and `typing` name this conversation. */
  target(): { room?: string; with?: string } {
    if (this.peer) return { with: this.peer.name };
    if (this.isRoom) return { room: this.room!.id };
    return {};
  }

  typingTarget(): TypingPayload {
    if (this.peer) return { to: this.peer.name };
    if (this.isRoom) return { room: this.room!.id };
    return {};
  }

  /** The `history` query for this conversation. */
  query(extra: Omit<HistoryPayload, "with" | "room"> = {}): HistoryPayload {
    return { ...this.target(), ...extra };
  }

  /** Whether a message belongs here: guards against a nickname now held by someone else. */
  owns(m: Message): boolean {
    if (this.peer)
      return m.to !== undefined && (m.from.id === this.peer.id || m.to.id === this.peer.id);
    if (m.to) return false;
    if (this.isRoom) return m.room === this.room!.id;
    return m.room === undefined || m.room === GROUP_ROOM_ID;
  }

  /** Merges messages, skipping ids already known; says whether the new ones all go last. */
  add(batch: Message[]): AddResult {
    const fresh = batch.filter((m) => this.owns(m) && !this.ids.has(m.id));
    if (fresh.length === 0) return { mode: "none", fresh };
    fresh.sort(byId);
    const last = this.lastId;
    for (const m of fresh) this.ids.add(m.id);
    this.messages.push(...fresh);
    if (last === undefined || fresh[0].id > last) return { mode: "append", fresh };
    this.messages.sort(byId);
    return { mode: "insert", fresh };
  }

  /** After a read mark moved to `id`: what is still unread among the messages known here. */
  applyRead(id: string, meId: string): void {
    if (id > this.lastRead) this.lastRead = id;
    const after = this.messages.filter((m) => m.id > this.lastRead && m.from.id !== meId);
    this.unread = Math.min(this.unread, after.length);
    const mentioned = after.filter((m) => mentionsUser(m, meId)).length;
    this.mentions = Math.min(this.mentions, mentioned);
  }
}

export function mentionsUser(m: Message, userId: string): boolean {
  return m.mentions?.some((u) => u.id === userId) ?? false;
}

/** Which conversation a message belongs to, from this user's point of view. */
export function conversationOf(m: Message, me: User): { key: string; peer?: User } {
  if (m.to) {
    const peer = m.from.id === me.id ? m.to : m.from;
    return { key: peer.id, peer };
  }
  return { key: roomKey(m.room ?? GROUP_ROOM_ID) };
}
