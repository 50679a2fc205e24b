import type Database from "better-sqlite3";
import type { NotifyLevel } from "../../common/events";
import {
  MAX_SUBSCRIPTIONS_PER_USER,
  type PushStore,
  type PushSubscriptionRecord,
  type StoredSubscription,
} from "./push-store";

type SubscriptionRow = { user_id: string; endpoint: string; p256dh: string; auth: string };

/** Push subscriptions and levels in the SQLite file of the SqliteStore (its `db`). */
export class SqlitePushStore implements PushStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      subscribe: db.prepare(
        `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
           p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
      ),
      trim: db.prepare(
        `DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint NOT IN (
           SELECT endpoint FROM push_subscriptions WHERE user_id = ?
           ORDER BY created_at DESC, rowid DESC LIMIT ${MAX_SUBSCRIPTIONS_PER_USER})`,
      ),
      unsubscribe: db.prepare(`DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?`),
      drop: db.prepare(`DELETE FROM push_subscriptions WHERE endpoint = ?`),
      any: db.prepare(`SELECT 1 FROM push_subscriptions LIMIT 1`),
      ofUser: db.prepare(
        `SELECT user_id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = ?
         ORDER BY created_at`,
      ),
      setLevel: db.prepare(
        `INSERT INTO notify_levels (user_id, conversation, level) VALUES (?, ?, ?)
         ON CONFLICT (user_id, conversation) DO UPDATE SET level = excluded.level`,
      ),
      level: db.prepare(`SELECT level FROM notify_levels WHERE user_id = ? AND conversation = ?`),
      levelsIn: db.prepare(`SELECT user_id, level FROM notify_levels WHERE conversation = ?`),
      forgetSubscriptions: db.prepare(`DELETE FROM push_subscriptions WHERE user_id = ?`),
      forgetLevels: db.prepare(`DELETE FROM notify_levels WHERE user_id = ?`),
    };
  }

  async subscribe(userId: string, sub: PushSubscriptionRecord, now: number): Promise<void> {
    this.db.transaction(() => {
      this.q.subscribe.run(sub.endpoint, userId, sub.p256dh, sub.auth, now);
      this.q.trim.run(userId, userId);
    })();
  }

  async unsubscribe(userId: string, endpoint: string): Promise<boolean> {
    return this.q.unsubscribe.run(userId, endpoint).changes > 0;
  }

  async drop(endpoint: string): Promise<void> {
    this.q.drop.run(endpoint);
  }

  async anySubscriptions(): Promise<boolean> {
    return this.q.any.get() !== undefined;
  }

  async subscriptionsOf(userIds: string[]): Promise<StoredSubscription[]> {
    return [...new Set(userIds)].flatMap((id) =>
      (this.q.ofUser.all(id) as SubscriptionRow[]).map((r) => ({
        userId: r.user_id,
        endpoint: r.endpoint,
        p256dh: r.p256dh,
        auth: r.auth,
      })),
    );
  }

  async setLevel(userId: string, conversation: string, level: NotifyLevel): Promise<void> {
    this.q.setLevel.run(userId, conversation, level);
  }

  async levels(userId: string, conversations: string[]): Promise<(NotifyLevel | null)[]> {
    return conversations.map(
      (c) => (this.q.level.get(userId, c) as { level: NotifyLevel } | undefined)?.level ?? null,
    );
  }

  async levelsIn(conversation: string): Promise<Map<string, NotifyLevel>> {
    const rows = this.q.levelsIn.all(conversation) as { user_id: string; level: NotifyLevel }[];
    return new Map(rows.map((r) => [r.user_id, r.level]));
  }

  async forgetUser(userId: string): Promise<void> {
    this.db.transaction(() => {
      this.q.forgetSubscriptions.run(userId);
      this.q.forgetLevels.run(userId);
    })();
  }
}
