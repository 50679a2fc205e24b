// Messages typed but not yet acknowledged. Each carries a `cid`, so resending after a reconnect
// (or a reload: the outbox is kept in localStorage) delivers it exactly once.
import {
  ErrorCodes,
  type Attachment,
  type ErrorCode,
  type Message,
  type User,
} from "../../../common/events";
import { ACK_TIMEOUT_MS, type ChatSocket } from "./connection";

export type Pending = {
  cid: string;
  key: string;
  content: string;
  ts: number;
  to?: User;
  /** A room id (not the group room). */
  room?: string;
  /** The id of the message this one answers. */
  replyTo?: string;
  /** Uploaded files sent with it. */
  attachments?: Attachment[];
  state: "queued" | "sending" | "failed";
  error?: ErrorCode;
  /** Emitted at least once: the server may have it already. */
  sent?: boolean;
  /** The broadcast of this message already arrived (its ack has not): do not show it twice. */
  echoId?: string;
};

export type OutboxHooks = {
  changed(key: string): void;
  delivered(message: Message): void;
  /** False when `to`'s nickname is now held by somebody else. */
  recipientOk(to: User): boolean;
};

const RATE_LIMIT_RETRY_MS = 3000;

/**
 * A random client id. `crypto.randomUUID` exists only in secure contexts (https, localhost);
 * a group chat is often served over plain http on a LAN, where getRandomValues still works.
 */
function newCid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Outbox {
  private items: Pending[];
  private busy = false;
  private readonly storageKey: string;

  constructor(
    private readonly socket: ChatSocket,
    me: User,
    private readonly hooks: OutboxHooks,
  ) {
    this.storageKey = `chat.outbox.${me.id}`;
    this.items = this.load();
  }

  visible(key: string): Pending[] {
    return this.items.filter((p) => p.key === key && !p.echoId);
  }

  /** `content` is already trimmed, as the server stores it. */
  add(
    key: string,
    content: string,
    extra: Pick<Pending, "to" | "room" | "replyTo" | "attachments">,
  ): void {
    const cid = newCid();
    this.items.push({ cid, key, content, ...extra, ts: Date.now(), state: "queued" });
    this.save();
    this.hooks.changed(key);
    this.flush();
  }

  discard(cid: string): void {
    const item = this.items.find((p) => p.cid === cid);
    if (!item || item.state === "sending") return;
    this.remove(item);
  }

  /** Our own message came back as a broadcast before its ack: hide the pending copy. */
  noticeEcho(m: Message, key: string): void {
    const item = this.items.find(
      (p) =>
        p.sent && p.state !== "failed" && !p.echoId && p.key === key && p.content === m.content,
    );
    if (!item) return;
    item.echoId = m.id;
    this.hooks.changed(key);
  }

  /** Sends the queued messages one at a time, in order, while connected. */
  flush(): void {
    if (this.busy || !this.socket.connected) return;
    const item = this.items.find((p) => p.state === "queued");
    if (!item) return;
    if (item.to && !this.hooks.recipientOk(item.to))
      return this.fail(item, ErrorCodes.unknownRecipient);
    this.busy = true;
    item.state = "sending";
    item.sent = true;
    const payload = {
      content: item.content,
      cid: item.cid,
      ...(item.to && { to: item.to.name }),
      ...(item.room && { room: item.room }),
      ...(item.replyTo && { replyTo: item.replyTo }),
      ...(item.attachments?.length && { attachments: item.attachments.map((a) => a.id) }),
    };
    this.socket.timeout(ACK_TIMEOUT_MS).emit("textmsg", payload, (err, ack) => {
      this.busy = false;
      if (err) return this.retry(item, 0); // disconnected or timed out: resend on reconnect
      if (ack.ok) {
        this.remove(item);
        this.hooks.delivered(ack.message);
      } else if (ack.error.code === ErrorCodes.rateLimited) {
        return this.retry(item, RATE_LIMIT_RETRY_MS);
      } else {
        this.fail(item, ack.error.code);
      }
      this.flush();
    });
  }

  /** Sends again with the same cid. An item whose broadcast was seen is stored: it stays hidden. */
  private retry(item: Pending, delayMs: number): void {
    item.state = "queued";
    this.hooks.changed(item.key);
    setTimeout(() => this.flush(), delayMs);
  }

  private fail(item: Pending, error: ErrorCode): void {
    item.state = "failed";
    item.error = error;
    item.echoId = undefined;
    this.save();
    this.hooks.changed(item.key);
    this.flush();
  }

  private remove(item: Pending): void {
    this.items = this.items.filter((p) => p !== item);
    this.save();
    this.hooks.changed(item.key);
  }

  private load(): Pending[] {
    try {
      const saved = JSON.parse(localStorage.getItem(this.storageKey) ?? "[]") as Pending[];
      return saved.map((p) => ({ ...p, state: "queued", echoId: undefined }));
    } catch {
      return [];
    }
  }

  /** Failed messages are shown until discarded but not kept across reloads. */
  private save(): void {
    try {
      const keep = this.items.filter((p) => p.state !== "failed");
      if (keep.length) localStorage.setItem(this.storageKey, JSON.stringify(keep));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or disabled: the outbox still works for this page's lifetime.
    }
  }
}
