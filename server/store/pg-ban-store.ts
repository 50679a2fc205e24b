import type { Pool } from "pg";
import { inTransaction } from "./pg-transaction";
import type { BanStore } from "./session-types";

/** Bans in the PostgreSQL database of the PgStore (its `pool`). */
export class PgBanStore implements BanStore {
  constructor(private readonly pool: Pool) {}

  async ban(skeleton: string, ips: string[], until: number): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query("DELETE FROM bans WHERE until <= $1", [Date.now()]);
      await client.query(
        `INSERT INTO bans (skeleton, ip, until)
         SELECT $1, ip, $3 FROM unnest(array_prepend(NULL, $2::text[])) AS ip GROUP BY ip`,
        [skeleton, [...new Set(ips)], until],
      );
    });
  }

  async unban(skeleton: string): Promise<boolean> {
    const result = await this.pool.query("DELETE FROM bans WHERE skeleton = $1", [skeleton]);
    return (result.rowCount ?? 0) > 0;
  }

  async isBanned(skeleton: string | null, ip: string, now: number): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT 1 FROM bans WHERE until > $1 AND ((ip IS NULL AND skeleton = $2) OR ip = $3) LIMIT 1`,
      [now, skeleton, ip],
    );
    return rows.length > 0;
  }
}
