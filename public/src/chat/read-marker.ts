// Read state shared by every tab and device: what this page has read is told to the server
// (`read`), and what was read elsewhere (the `read` event) clears badges here.
import type { ReadEvent } from "../../../common/events";
import type { ChatSocket } from "./connection";
import type { Conversation } from "./conversation";

/** Marks closer together than this are merged (a busy room on screen sends one a second). */
const READ_EVERY_MS = 1000;

export class ReadMarker {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly socket: ChatSocket,
    private readonly meId: string,
    private readonly changed: (conv: Conversation) => void,
  ) {}

  /** Everything known in `conv` is read: clear its badges now, tell the server soon. */
  read(conv: Conversation): void {
    const hadBadges = conv.unread > 0 || conv.mentions > 0;
    conv.unread = 0;
    conv.mentions = 0;
    if (hadBadges) this.changed(conv);
    const last = conv.lastId;
    if (!last || last <= conv.lastRead) return;
    conv.lastRead = last;
    if (this.pending.has(conv.key)) return;
    const wait = (this.lastSent.get(conv.key) ?? 0) + READ_EVERY_MS - Date.now();
    this.pending.add(conv.key);
    window.setTimeout(() => this.send(conv), Math.max(0, wait));
  }

  private send(conv: Conversation): void {
    this.pending.delete(conv.key);
    this.lastSent.set(conv.key, Date.now());
    if (this.socket.connected) {
      this.socket.emit("read", { ...conv.target, id: conv.lastRead }, () => {});
    }
  }

  /** Another tab or device read up to `e.id`: only what came after it stays unread. */
  apply(conv: Conversation, e: ReadEvent): void {
    if (e.id <= conv.lastRead && conv.unread === 0) return;
    if (e.id > conv.lastRead) conv.lastRead = e.id;
    const after = conv.messages.filter((m) => m.id > conv.lastRead && m.from.id !== this.meId);
    conv.unread = Math.min(conv.unread, after.length);
    conv.mentions = Math.min(
      conv.mentions,
      after.filter((m) => m.mentions?.some((u) => u.id === this.meId)).length,
    );
    this.changed(conv);
  }
}
