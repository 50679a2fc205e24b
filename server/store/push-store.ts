import type { NotifyLevel } from "../../common/events";

/** A browser's Web Push subscription (what `PushSubscription.toJSON()` gives). */
export type PushSubscriptionRecord = { endpoint: string; p256dh: string; auth: string };
export const MAX_SUBSCRIPTIONS_PER_USER = 10;

export type StoredSubscription = PushSubscriptionRecord & { userId: string };

/**
 * Web Push: each user's subscriptions (one per browser, keyed by endpoint) and its
 * notification level per conversation. Implementations: SQLite and PostgreSQL.
 */
export interface PushStore {
  /**
   * Saves a subscription for `userId`; an endpoint already stored moves to this user. A user
   * keeps its newest MAX_SUBSCRIPTIONS_PER_USER (browsers), so a message fans out boundedly.
   */
  subscribe(userId: string, sub: PushSubscriptionRecord, now: number): Promise<void>;
  /** Removes `userId`'s subscription with that endpoint; false when it had none. */
  unsubscribe(userId: string, endpoint: string): Promise<boolean>;
  /** The push service answered 404/410: the endpoint is gone, whoever had it. */
  drop(endpoint: string): Promise<void>;
  /** Whether anyone has a subscription at all: if not, a message needs no push work. */
  anySubscriptions(): Promise<boolean>;
  /** Every subscription of these users. */
  subscriptionsOf(userIds: string[]): Promise<StoredSubscription[]>;
  setLevel(userId: string, conversation: string, level: NotifyLevel): Promise<void>;
  /** The stored level per conversation, in order; null where the user chose none. */
  levels(userId: string, conversations: string[]): Promise<(NotifyLevel | null)[]>;
  /** Every stored level in one conversation, by user id. */
  levelsIn(conversation: string): Promise<Map<string, NotifyLevel>>;
  /** A user gone for good: its subscriptions and levels go. */
  forgetUser(userId: string): Promise<void>;
}
