import type Database from "better-sqlite3";
import { CHALLENGE_PRUNE_MS, passkeyFromRow, type PasskeyRow } from "./passkey-rows";
import type { PasskeyRecord, PasskeyStore } from "./passkey-store";

/** Passkeys and WebAuthn challenges in the SQLite file of the SqliteStore (its `db`). */
export class SqlitePasskeyStore implements PasskeyStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      secure: db.prepare(`UPDATE users SET secured = 1 WHERE id = ?`),
      add: db.prepare(
        `INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      ),
      get: db.prepare(`SELECT * FROM passkeys WHERE id = ?`),
      of: db.prepare(`SELECT * FROM passkeys WHERE user_id = ? ORDER BY created_at, rowid`),
      use: db.prepare(
        `UPDATE passkeys SET counter = ?, last_used_at = ?
         WHERE id = ? AND (counter < ? OR (counter = 0 AND ? = 0))`,
      ),
      password: db.prepare(`SELECT password_hash FROM users WHERE id = ?`),
      count: db.prepare(`SELECT COUNT(*) AS n FROM passkeys WHERE user_id = ?`),
      owned: db.prepare(`SELECT 1 FROM passkeys WHERE id = ? AND user_id = ?`),
      remove: db.prepare(`DELETE FROM passkeys WHERE id = ? AND user_id = ?`),
      prune: db.prepare(`DELETE FROM webauthn_challenges WHERE expires_at <= ?`),
      saveChallenge: db.prepare(
        `INSERT INTO webauthn_challenges (challenge, user_id, expires_at) VALUES (?, ?, ?)`,
      ),
      takeChallenge: db.prepare(
        `DELETE FROM webauthn_challenges WHERE challenge = ? RETURNING user_id, expires_at`,
      ),
    };
  }

  async add(p: PasskeyRecord): Promise<boolean> {
    const add = this.db.transaction(() => {
      if (this.q.secure.run(p.userId).changes === 0) return false;
      const added = this.q.add.run(
        p.id,
        p.userId,
        p.name,
        Buffer.from(p.publicKey),
        p.counter,
        JSON.stringify(p.transports),
        p.createdAt,
      );
      // A taken id adds nothing: throwing rolls the user's mark back too.
      if (added.changes === 0) throw new IdTaken();
      return true;
    });
    try {
      return add();
    } catch (error) {
      if (error instanceof IdTaken) return false;
      throw error;
    }
  }

  async get(id: string): Promise<PasskeyRecord | null> {
    const row = this.q.get.get(id) as PasskeyRow | undefined;
    return row ? passkeyFromRow(row) : null;
  }

  async of(userId: string): Promise<PasskeyRecord[]> {
    return (this.q.of.all(userId) as PasskeyRow[]).map(passkeyFromRow);
  }

  async use(id: string, counter: number, now: number): Promise<boolean> {
    return this.q.use.run(counter, now, id, counter, counter).changes > 0;
  }

  async remove(userId: string, id: string): Promise<"removed" | "not_found" | "last_credential"> {
    return this.db.transaction(() => {
      if (!this.q.owned.get(id, userId)) return "not_found" as const;
      const user = this.q.password.get(userId) as { password_hash: string | null } | undefined;
      const passkeys = (this.q.count.get(userId) as { n: number }).n;
      if (passkeys <= 1 && !user?.password_hash) return "last_credential" as const;
      this.q.remove.run(id, userId);
      return "removed" as const;
    })();
  }

  async saveChallenge(challenge: string, userId: string | null, expiresAt: number): Promise<void> {
    this.db.transaction(() => {
      this.q.prune.run(expiresAt - CHALLENGE_PRUNE_MS);
      this.q.saveChallenge.run(challenge, userId, expiresAt);
    })();
  }

  async takeChallenge(challenge: string, now: number) {
    return this.db.transaction(() => {
      const row = this.q.takeChallenge.get(challenge) as
        { user_id: string | null; expires_at: number } | undefined;
      this.q.prune.run(now);
      if (!row || row.expires_at <= now) return undefined;
      return { userId: row.user_id };
    })();
  }
}

class IdTaken extends Error {}
