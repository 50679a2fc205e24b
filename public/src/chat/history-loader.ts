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

  /** A page of history around a message (a search result, a reply's original). */
  async around(conv: Conversation, id: string): Promise<void> {
    if (!conv.loaded) await this.latest(conv);
    if (conv.has(id)) return;
    const from = String(Math.max(0, Number(id) - LIMITS.historyDefault / 2)).padStart(
      id.length,
      "0",
    );
    const batch = await fetchHistory(
      this.socket,
      conv.query({ after: from, limit: LIMITS.historyDefault }),
    );
    if (batch) this.merge(conv, batch, false);
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
