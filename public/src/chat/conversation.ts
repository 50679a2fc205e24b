// What the browser knows of one conversation: the group room or a private one with a peer.
import type { HistoryPayload, Message, User } from "../../../common/events";

export const GROUP = "group";

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

  /** `key` is GROUP or the peer's user id; the peer's nickname may be released later. */
  constructor(
    readonly key: string,
    public peer?: User,
  ) {}

  get isPrivate(): boolean {
    return this.peer !== undefined;
  }

  get firstId(): string | undefined {
    return this.messages[0]?.id;
  }

  get lastId(): string | undefined {
    return this.messages.at(-1)?.id;
  }

  /** The `history` query for this conversation. */
  query(extra: Omit<HistoryPayload, "with"> = {}): HistoryPayload {
    return this.peer ? { with: this.peer.name, ...extra } : extra;
  }

  /** Whether a message belongs here: guards against a nickname now held by someone else. */
  owns(m: Message): boolean {
    if (!this.peer) return m.to === undefined;
    return m.to !== undefined && (m.from.id === this.peer.id || m.to.id === this.peer.id);
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
}

/** Which conversation a message belongs to, from this user's point of view. */
export function conversationOf(m: Message, me: User): { key: string; peer?: User } {
  if (!m.to) return { key: GROUP };
  const peer = m.from.id === me.id ? m.to : m.from;
  return { key: peer.id, peer };
}
