// Fetching history: a conversation's newest page, older pages on scroll, and after a
// reconnect everything after the last known id.
import { LIMITS, type Message } from "../../../common/events";
import { fetchHistory, type ChatSocket } from "./connection";
import type { Conversation } from "./conversation";
import type { MessageLog } from "./message-log";

const GAP_PAGES_MAX = 20;

/** Adds messages to a conversation and its view; `live` ones count as unread. */
export type Merge = (conv: Conversation, batch: Message[], live: boolean) => boolean;

export class HistoryLoader {
  constructor(
    private readonly socket: ChatSocket,
    private readonly log: MessageLog,
    private readonly merge: Merge,
    private readonly isActive: (conv: Conversation) => boolean,
  ) {}

  async latest(conv: Conversation): Promise<void> {
    const batch = await fetchHistory(this.socket, conv.query({ limit: LIMITS.historyDefault }));
    if (!batch) return;
    conv.loaded = true;
    conv.hasMore = batch.length === LIMITS.historyDefault;
    if (!this.merge(conv, batch, false) && this.isActive(conv)) this.log.refresh();
  }

  async older(conv: Conversation): Promise<void> {
    if (!conv.loaded || !conv.hasMore || this.log.loadingOlder || !conv.firstId) return;
    this.log.loadingOlder = true;
    this.log.updateTop();
    const batch = await fetchHistory(this.socket, conv.query({ before: conv.firstId }));
    this.log.loadingOlder = false;
    if (batch) conv.hasMore = batch.length === LIMITS.historyDefault;
    if (!batch || !this.merge(conv, batch, false) || !this.isActive(conv)) this.log.updateTop();
  }

  /**
   * History around a message (a search result, a reply's original): the messages up to it
   * and just before it, then every newer one up to the newest page already shown, so the log
   * stays contiguous (ids are global: in a quiet conversation the message may be far back).
   * The newer ones are fetched in pages, at most GAP_PAGES_MAX of them.
   */
  async around(conv: Conversation, id: string): Promise<void> {
    if (!conv.loaded) await this.latest(conv);
    if (conv.has(id)) return;
    const half = LIMITS.historyDefault / 2;
    const upTo = String(Number(id) + 1).padStart(id.length, "0");
    const before = await fetchHistory(this.socket, conv.query({ before: upTo, limit: half }));
    if (!before) return;
    const known = conv.firstId;
    const found = [...before];
    let after = before.at(-1)?.id ?? id;
    for (let page = 0; page < GAP_PAGES_MAX && (!known || after < known); page++) {
      const batch = await fetchHistory(
        this.socket,
        conv.query({ after, limit: LIMITS.historyMax }),
      );
      if (!batch) break;
      found.push(...batch);
      if (batch.length < LIMITS.historyMax) break;
      after = batch[batch.length - 1].id;
    }
    conv.hasMore = before.length === half;
    if (!this.merge(conv, found, false) && this.isActive(conv)) this.log.refresh();
  }

  /** Messages missed while disconnected, in pages, oldest first. */
  async after(conv: Conversation): Promise<void> {
    let after = conv.lastId;
    for (let page = 0; after && page < GAP_PAGES_MAX; page++) {
      const batch = await fetchHistory(
        this.socket,
        conv.query({ after, limit: LIMITS.historyMax }),
      );
      if (!batch) return;
      this.merge(conv, batch, true);
      after = batch.length < LIMITS.historyMax ? undefined : batch[batch.length - 1].id;
    }
  }
}
