// "alice is typing…": shown per conversation, cleared by her next message or after a pause.
import type { User } from "../../../common/events";
import type { ChatSocket } from "./connection";
import { byId } from "./dom";
import { typingLine } from "./i18n";

const SHOW_FOR_MS = 4000;
/**
 * The server relays one typing event per user and conversation every 2 s (TYPING_INTERVAL_MS)
 * and drops the rest; a little margin keeps network jitter from landing one inside the window.
 */
const SEND_EVERY_MS = 2150;

export class TypingIndicator {
  private readonly el = byId("typing");
  /** conversation key → user id → who, and the timer that clears them. */
  private readonly typers = new Map<string, Map<string, { name: string; timer: number }>>();

  constructor(private readonly activeKey: () => string) {}

  heard(key: string, from: User): void {
    const inConv = this.typers.get(key) ?? new Map<string, { name: string; timer: number }>();
    this.typers.set(key, inConv);
    const previous = inConv.get(from.id);
    if (previous) clearTimeout(previous.timer);
    const timer = window.setTimeout(() => this.stopped(key, from.id), SHOW_FOR_MS);
    inConv.set(from.id, { name: from.name, timer });
    this.render();
  }

  stopped(key: string, userId: string): void {
    const entry = this.typers.get(key)?.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.typers.get(key)?.delete(userId);
    this.render();
  }

  render(): void {
    const names = [...(this.typers.get(this.activeKey())?.values() ?? [])].map((e) => e.name);
    this.el.replaceChildren(...typingLine(names));
  }
}

/**
 * Tells the others we are typing, at most every couple of seconds. A keystroke inside the
 * quiet period is announced when it ends (trailing edge), so a single quick edit is never lost.
 */
export class TypingSender {
  private lastSent = 0;
  private trailing: number | null = null;
  private target: { with?: string; room?: string } = {};

  constructor(private readonly socket: ChatSocket) {}

  /** `target` is the conversation typed in (a peer's nickname, a room id, or neither). */
  typed(target: { with?: string; room?: string }): void {
    this.target = target;
    const wait = this.lastSent + SEND_EVERY_MS - Date.now();
    if (wait <= 0) return this.send();
    this.trailing ??= window.setTimeout(() => this.send(), wait);
  }

  private send(): void {
    this.cancel();
    if (!this.socket.connected) return;
    this.lastSent = Date.now();
    const { with: to, room } = this.target;
    this.socket.emit("typing", to !== undefined ? { to } : room !== undefined ? { room } : {});
  }

  private cancel(): void {
    if (this.trailing !== null) window.clearTimeout(this.trailing);
    this.trailing = null;
  }

  /** A message was sent: it clears the indicator for the others, so a pending announcement goes. */
  sent(): void {
    this.cancel();
  }
}
