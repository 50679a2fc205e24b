import type { Pool } from "pg";
import type { NotifyLevel } from "../../common/events";
import { inTransaction } from "./pg-transaction";
import {
  MAX_SUBSCRIPTIONS_PER_USER,
  type PushStore,
  type PushSubscriptionRecord,
  type StoredSubscription,
} from "./push-store";

type SubscriptionRow = { user_id: string; endpoint: string; p256dh: string; auth: string };

/** Push subscriptions and levels in the PostgreSQL database of the PgStore (its `pool`). */
export class PgPushStore implements PushStore {
  constructor(private readonly pool: Pool) {}

  async subscribe(userId: string, sub: PushSubscriptionRecord, now: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
           p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
        [sub.endpoint, userId, sub.p256dh, sub.auth, now],
      );
      await client.query(
        `DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint NOT IN (
           SELECT endpoint FROM push_subscriptions WHERE user_id = $1
           ORDER BY created_at DESC, endpoint DESC LIMIT ${MAX_SUBSCRIPTIONS_PER_USER})`,
        [userId],
      );
    });
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    const result = await this.pool.query(
      "DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2",
      [userId, endpoint],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async drop(endpoint: string): Promise<void> {
    await this.pool.query("DELETE FROM push_subscriptions WHERE endpoint = $1", [endpoint]);
  }

  async anySubscriptions(): Promise<boolean> {
    const { rowCount } = await this.pool.query("SELECT 1 FROM push_subscriptions LIMIT 1");
    return (rowCount ?? 0) > 0;
  }

  async subscriptionsOf(userIds: string[]): Promise<StoredSubscription[]> {
    if (userIds.length === 0) return [];
    const { rows } = await this.pool.query<SubscriptionRow>(
      `SELECT user_id, endpoint, p256dh, auth FROM push_subscriptions
       WHERE user_id = ANY($1::text[]) ORDER BY created_at`,
      [[...new Set(userIds)]],
    );
    return rows.map((r) => ({
      userId: r.user_id,
      endpoint: r.endpoint,
      p256dh: r.p256dh,
      auth: r.auth,
    }));
  }

  async setLevel(userId: string, conversation: string, level: NotifyLevel): Promise<void> {
    await this.pool.query(
      `INSERT INTO notify_levels (user_id, conversation, level) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, conversation) DO UPDATE SET level = excluded.level`,
      [userId, conversation, level],
    );
  }

  async levels(userId: string, conversations: string[]): Promise<(NotifyLevel | null)[]> {
    if (conversations.length === 0) return [];
    const { rows } = await this.pool.query<{ conversation: string; level: NotifyLevel }>(
      "SELECT conversation, level FROM notify_levels WHERE user_id = $1 AND conversation = ANY($2)",
      [userId, conversations],
    );
    const found = new Map(rows.map((r) => [r.conversation, r.level]));
    return conversations.map((c) => found.get(c) ?? null);
  }

  async levelsIn(conversation: string): Promise<Map<string, NotifyLevel>> {
    const { rows } = await this.pool.query<{ user_id: string; level: NotifyLevel }>(
      "SELECT user_id, level FROM notify_levels WHERE conversation = $1",
      [conversation],
    );
    return new Map(rows.map((r) => [r.user_id, r.level]));
  }

  async forgetUser(userId: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query("DELETE FROM push_subscriptions WHERE user_id = $1", [userId]);
      await client.query("DELETE FROM notify_levels WHERE user_id = $1", [userId]);
    });
  }
}
