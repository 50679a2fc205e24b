import type { Pool } from "pg";
import type { PasskeyRecord, PasskeyStore } from "./passkey-store";
import { inTransaction } from "./pg-transaction";
import { CHALLENGE_PRUNE_MS, passkeyFromRow, type PasskeyRow } from "./passkey-rows";

/** Passkeys and WebAuthn challenges in the PostgreSQL database: every node sees the same. */
export class PgPasskeyStore implements PasskeyStore {
  constructor(private readonly pool: Pool) {}

  async add(p: PasskeyRecord): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      // Locks the user: a guest's deletion (`AND NOT secured`) waits, then finds it secured.
      const user = await client.query("UPDATE users SET secured = true WHERE id = $1", [p.userId]);
      if (user.rowCount === 0) return false;
      const added = await client.query(
        `INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [
          p.id,
          p.userId,
          p.name,
          Buffer.from(p.publicKey),
          p.counter,
          JSON.stringify(p.transports),
          p.createdAt,
        ],
      );
      // A taken id adds nothing: the rollback takes the user's mark back too.
      if (added.rowCount === 0) throw new IdTaken();
      return true;
    }).catch((error: unknown) => {
      if (error instanceof IdTaken) return false;
      throw error;
    });
  }

  async get(id: string): Promise<PasskeyRecord | null> {
    const { rows } = await this.pool.query<PasskeyRow>("SELECT * FROM passkeys WHERE id = $1", [
      id,
    ]);
    return rows[0] ? passkeyFromRow(rows[0]) : null;
  }

  async of(userId: string): Promise<PasskeyRecord[]> {
    const { rows } = await this.pool.query<PasskeyRow>(
      "SELECT * FROM passkeys WHERE user_id = $1 ORDER BY created_at, id",
      [userId],
    );
    return rows.map(passkeyFromRow);
  }

  async use(id: string, counter: number, now: number): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE passkeys SET counter = $2, last_used_at = $3
       WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0))`,
      [id, counter, now],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async remove(userId: string, id: string): Promise<"removed" | "not_found" | "last_credential"> {
    return inTransaction(this.pool, async (client) => {
      // The user's row lock orders concurrent removals: two of them never take the last two.
      const user = await client.query<{ password_hash: string | null }>(
        "SELECT password_hash FROM users WHERE id = $1 FOR UPDATE",
        [userId],
      );
      const { rows } = await client.query<{ n: string; owned: boolean }>(
        `SELECT COUNT(*) AS n, COALESCE(bool_or(id = $2), false) AS owned
         FROM passkeys WHERE user_id = $1`,
        [userId, id],
      );
      if (!rows[0].owned) return "not_found";
      if (Number(rows[0].n) <= 1 && !user.rows[0]?.password_hash) return "last_credential";
      await client.query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2", [id, userId]);
      return "removed";
    });
  }

  async saveChallenge(challenge: string, userId: string | null, expiresAt: number): Promise<void> {
    await this.pool.query("DELETE FROM webauthn_challenges WHERE expires_at <= $1", [
      expiresAt - CHALLENGE_PRUNE_MS,
    ]);
    await this.pool.query(
      "INSERT INTO webauthn_challenges (challenge, user_id, expires_at) VALUES ($1, $2, $3)",
      [challenge, userId, expiresAt],
    );
  }

  async takeChallenge(challenge: string, now: number) {
    // DELETE … RETURNING: of two nodes redeeming the same challenge, one gets the row.
    const { rows } = await this.pool.query<{ user_id: string | null; expires_at: string }>(
      "DELETE FROM webauthn_challenges WHERE challenge = $1 RETURNING user_id, expires_at",
      [challenge],
    );
    await this.pool.query("DELETE FROM webauthn_challenges WHERE expires_at <= $1", [now]);
    if (!rows[0] || Number(rows[0].expires_at) <= now) return undefined;
    return { userId: rows[0].user_id };
  }
}

class IdTaken extends Error {}
