import type { Pool, PoolClient } from "pg";
import type { Message, Reaction, User } from "../../common/events";
import {
  toggleReaction,
  type MessageActionStore,
  type StoredMessage,
} from "./message-action-store";
import { pgMessages } from "./pg-store";
import { inTransaction } from "./pg-transaction";
import { MESSAGE_COLUMNS, type MessageRow } from "./rows";

/** How long after an erasure the table is vacuumed, so dead row versions with the text go. */
const VACUUM_AFTER_MS = 2000;

/** Edits, erasures and reactions in PostgreSQL (the pool of the PgStore). */
export class PgMessageActions implements MessageActionStore {
  private vacuum: NodeJS.Timeout | null = null;

  constructor(private readonly pool: Pool) {}

  private async row(
    client: Pool | PoolClient,
    id: string,
    lock = false,
  ): Promise<MessageRow | null> {
    const { rows } = await client.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE seq = $1${lock ? " FOR UPDATE" : ""}`,
      [id],
    );
    return rows[0] ?? null;
  }

  private async current(id: string): Promise<Message | null> {
    const row = await this.row(this.pool, id);
    return row ? (await pgMessages(this.pool, [row]))[0] : null;
  }

  async get(id: string): Promise<StoredMessage | null> {
    const row = await this.row(this.pool, id);
    if (!row) return null;
    return { message: (await pgMessages(this.pool, [row]))[0], conversation: row.conversation };
  }

  async edit(id: string, content: string, mentions: User[], editedAt: number) {
    const found = await inTransaction(this.pool, async (client) => {
      const row = await this.row(client, id, true);
      if (!row) return false;
      const list = mentions.map(({ id: uid, name, avatar }) => ({ id: uid, name, avatar }));
      await client.query(
        `UPDATE messages SET content = $1, mentions = $2, edited_at = $3
         WHERE seq = $4 AND NOT deleted`,
        [content, list.length ? JSON.stringify(list) : null, editedAt, id],
      );
      await client.query("DELETE FROM message_mentions WHERE seq = $1", [id]);
      const counted = list.filter((u) => u.id !== row.from_id).map((u) => u.id);
      await client.query(
        `INSERT INTO message_mentions (user_id, conversation, seq)
         SELECT u, $2, $3 FROM unnest($1::text[]) AS u ON CONFLICT DO NOTHING`,
        [counted, row.conversation, id],
      );
      return true;
    });
    if (found) this.vacuumSoon();
    return found ? this.current(id) : null;
  }

  async erase(id: string): Promise<Message | null> {
    const found = await inTransaction(this.pool, async (client) => {
      const { rowCount } = await client.query(
        `UPDATE messages SET content = '', mentions = NULL, reactions = NULL, reply_to = NULL,
           attachments = NULL, deleted = true WHERE seq = $1`,
        [id],
      );
      await client.query("DELETE FROM message_mentions WHERE seq = $1", [id]);
      return (rowCount ?? 0) > 0;
    });
    if (found) this.vacuumSoon();
    return found ? this.current(id) : null;
  }

  async react(id: string, user: User, emoji: string) {
    const outcome = await inTransaction(this.pool, async (client) => {
      const row = await this.row(client, id, true);
      if (!row || row.deleted) return null;
      const before = row.reactions ? (JSON.parse(row.reactions) as Reaction[]) : [];
      const after = toggleReaction(before, user, emoji);
      if (after === "too_many") return after;
      await client.query("UPDATE messages SET reactions = $1 WHERE seq = $2", [
        after.length ? JSON.stringify(after) : null,
        id,
      ]);
      return "ok" as const;
    });
    return outcome === "ok" ? this.current(id) : outcome;
  }

  /**
   * An UPDATE leaves the old row version (with the old text) until VACUUM: run one soon.
   * Also called at start-up, so a crash before the timer fired does not skip it (cheap when
   * nothing is dead: VACUUM skips the pages its visibility map marks all-visible).
   */
  vacuumSoon(): void {
    if (this.vacuum) return;
    this.vacuum = setTimeout(() => {
      this.vacuum = null;
      this.pool.query("VACUUM messages").catch(() => {});
    }, VACUUM_AFTER_MS);
    this.vacuum.unref();
  }
}
