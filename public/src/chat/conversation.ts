// What the browser knows of one conversation: the group room, a room, or a private one.
import type { HistoryPayload, Message, NotifyLevel, Room, User } from "../../../common/events";

export const GROUP = "group";

export type AddResult = { mode: "none" | "append" | "insert"; fresh: Message[] };

const byId = (a: Message, b: Message) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The key of a room's conversation; the group room's is GROUP, a private one's the peer id. */
export function roomKey(roomId: string): string {
  return roomId === GROUP ? GROUP : `r:${roomId}`;
}

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
  /** The last message read (by this user on any device), as the server keeps it. */
  lastRead = "";
  /** Where the "new" divider goes while the conversation is shown: after this id. */
  dividerAfter: string | null = null;
  /** The push level the server keeps for this user here; unset: the kind's default. */
  level?: NotifyLevel;

  /** `key`: GROUP, `r:<room id>`, or the peer's user id (its nickname may be released later). */
  constructor(
    readonly key: string,
    public peer?: User,
    public room?: Room,
  ) {}

  get isPrivate(): boolean {
    return this.peer !== undefined;
  }

  /** The room's id, for a room's conversation (known even before its details are). */
  get roomId(): string | undefined {
    return this.key.startsWith("r:") ? this.key.slice(2) : undefined;
  }

  get firstId(): string | undefined {
    return this.messages[0]?.id;
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  /** Where `read`, `typing`, `textmsg` and `history` address this conversation. */
  get target(): { with?: string; room?: string } {
    if (this.peer) return { with: this.peer.name };
    const roomId = this.roomId;
    return roomId ? { room: roomId } : {};
  }

  /** The `history` query for this conversation. */
  query(extra: Omit<HistoryPayload, "with" | "room"> = {}): HistoryPayload {
    return { ...this.target, ...extra };
  }

  /** Whether a message belongs here: guards against a nickname now held by someone else. */
  owns(m: Message): boolean {
    if (this.peer) {
      return m.to !== undefined && (m.from.id === this.peer.id || m.to.id === this.peer.id);
    }
    const roomId = this.roomId;
    if (roomId) return m.room === roomId;
    return m.to === undefined && (m.room === undefined || m.room === GROUP);
  }

  has(id: string): boolean {
    return this.ids.has(id);
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

  /** An edit, delete or reaction: replaces the known copy; false when it is not here. */
  replace(m: Message): boolean {
    // Replies quote the original as it is now.
    let changed = false;
    this.messages.forEach((x, i) => {
      if (x.replyTo?.id !== m.id) return;
      const content = m.deleted ? "" : [...m.content].slice(0, 200).join("");
      this.messages[i] = { ...x, replyTo: { ...x.replyTo, content } };
      changed = true;
    });
    if (!this.ids.has(m.id)) return changed;
    const i = this.messages.findIndex((x) => x.id === m.id);
    this.messages[i] = m;
    return true;
  }
}

/** Which conversation a message belongs to, from this user's point of view. */
export function conversationOf(m: Message, me: User): { key: string; peer?: User } {
  if (m.to) {
    const peer = m.from.id === me.id ? m.to : m.from;
    return { key: peer.id, peer };
  }
  return { key: m.room ? roomKey(m.room) : GROUP };
}
