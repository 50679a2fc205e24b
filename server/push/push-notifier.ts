// Who hears about a message by push: the conversation's audience (the access rule) minus the
// sender, by each one's level there (default per kind), minus anyone with a connected socket
// on any node (presence). Then one task per subscription, on the queue.
import type { Logger } from "pino";
import type { Message } from "../../common/events";
import type { ConversationAccess } from "../conversations/access";
import { defaultLevel, type Conversation } from "../conversations/conversation";
import type { PresenceTracker } from "../presence/presence";
import type { PushStore, StoredSubscription } from "../store/push-store";
import { pushPayload, type PushPayload } from "./payload";
import type { Attempt, PushQueue } from "./push-queue";
import type { PushSender } from "./push-sender";

export type NotifierDeps = {
  store: PushStore;
  access: ConversationAccess;
  presence: PresenceTracker;
  queue: PushQueue;
  sender: PushSender;
  log: Logger;
};

export class PushNotifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Called right after a message was broadcast; never throws, never waits for pushes. */
  delivered(message: Message, conv: Conversation): void {
    this.enqueue(message, conv).catch((err: unknown) =>
      this.deps.log.error({ err, message: message.id }, "push fan-out failed"),
    );
  }

  private async enqueue(message: Message, conv: Conversation): Promise<void> {
    // Most small servers have nobody with push on: then no member or level lookups per message.
    if (!(await this.deps.store.anySubscriptions())) return;
    const wanted = await this.recipients(message, conv);
    if (wanted.length === 0) return;
    const online = await this.deps.presence.onlineAmong(wanted);
    const offline = wanted.filter((id) => !online.has(id));
    if (offline.length === 0) return;
    const payload = pushPayload(message, conv);
    for (const sub of await this.deps.store.subscriptionsOf(offline)) {
      this.deps.queue.push({
        label: { message: message.id, user: sub.userId },
        run: () => this.attempt(sub, payload),
      });
    }
  }

  /** Users who want to hear of this message, whether online or not. */
  async recipients(message: Message, conv: Conversation): Promise<string[]> {
    const mentioned = new Set((message.mentions ?? []).map((u) => u.id));
    const levels = await this.deps.store.levelsIn(conv.key);
    const members = await this.deps.access.members(conv);
    // Everyone is in the group room: only those mentioned or listening to all of it.
    const candidates = members ?? [
      ...mentioned,
      ...[...levels].filter(([, l]) => l === "all").map(([id]) => id),
    ];
    return [...new Set(candidates)].filter((id) => {
      if (id === message.from.id) return false;
      const level = levels.get(id) ?? defaultLevel(conv);
      return level === "all" || (level === "mentions" && mentioned.has(id));
    });
  }

  private async attempt(sub: StoredSubscription, payload: PushPayload): Promise<Attempt> {
    const result = await this.deps.sender.send(sub, payload);
    const at = { user: sub.userId, origin: new URL(sub.endpoint).origin };
    if ("error" in result) {
      this.deps.log.warn({ ...at, reason: result.error }, "push not sent");
      return result.error === "refused" ? "done" : { retry: true };
    }
    const { status } = result;
    if (status >= 200 && status < 300) return "done";
    if (status === 404 || status === 410) {
      this.deps.log.info({ ...at, status }, "push subscription gone: dropped");
      await this.deps.store.drop(sub.endpoint);
      return "done";
    }
    this.deps.log.warn({ ...at, status }, "push refused by the push service");
    if (status === 429 || status >= 500) return { retry: true, afterMs: result.retryAfterMs };
    return "done";
  }
}
