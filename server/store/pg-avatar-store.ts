import type { Pool } from "pg";
import type { AvatarStore } from "./avatar-store";

/** Profile pictures in the PostgreSQL database of the PgStore (its `pool`). */
export class PgAvatarStore implements AvatarStore {
  constructor(private readonly pool: Pool) {}

  async save(id: string, userId: string, webp: Buffer, now: number): Promise<void> {
    await this.pool.query(
      "INSERT INTO custom_avatars (id, user_id, data, created_at) VALUES ($1, $2, $3, $4)",
      [id, userId, webp, now],
    );
  }

  async get(id: string): Promise<Buffer | null> {
    const { rows } = await this.pool.query<{ data: Buffer }>(
      "SELECT data FROM custom_avatars WHERE id = $1",
      [id],
    );
    return rows[0]?.data ?? null;
  }

  async removeOthers(userId: string, keep: string | null): Promise<number> {
    const result = await this.pool.query(
      "DELETE FROM custom_avatars WHERE user_id = $1 AND id IS DISTINCT FROM $2",
      [userId, keep],
    );
    return result.rowCount ?? 0;
  }
}
