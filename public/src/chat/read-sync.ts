// Tells the server what has been read: the newest message of the conversation on screen, while
// the tab is visible, at most every READ_EVERY_MS per conversation. The server answers every
// socket of the user with a `read` event, which clears the badges in the other tabs too.
import type { ChatSocket } from "./connection";
import type { Conversation } from "./conversation";

const READ_EVERY_MS = 800;

export class ReadSync {
  /** conversation key → the id last sent, and a pending trailing send. */
  private readonly sent = new Map<string, { id: string; at: number; timer?: number }>();

  constructor(
    private readonly socket: ChatSocket,
    private readonly visible: (conv: Conversation) => boolean,
  ) {}

  /** `conv` is on screen: mark it read up to its newest message. */
  seen(conv: Conversation): void {
    const id = conv.lastId;
    if (!this.visible(conv) || !id || id <= conv.lastRead) return;
    const entry = this.sent.get(conv.key) ?? { id: "", at: 0 };
    this.sent.set(conv.key, entry);
    if (id <= entry.id || entry.timer !== undefined) return;
    const wait = entry.at + READ_EVERY_MS - Date.now();
    if (wait > 0) {
      entry.timer = window.setTimeout(() => {
        entry.timer = undefined;
        this.seen(conv);
      }, wait);
      return;
    }
    if (!this.socket.connected) return;
    entry.id = id;
    entry.at = Date.now();
    // Optimistic: the `read` event that follows confirms it (and moves other tabs too).
    conv.lastRead = id;
    this.socket.emit("read", { ...conv.target(), id }, () => undefined);
  }

  forget(key: string): void {
    const entry = this.sent.get(key);
    if (entry?.timer !== undefined) window.clearTimeout(entry.timer);
    this.sent.delete(key);
  }
}
