// Rows of the passkeys table as both backends read them.
import type { PasskeyRecord } from "./passkey-store";

export type PasskeyRow = {
  id: string;
  user_id: string;
  name: string;
  public_key: Buffer;
  counter: number;
  transports: string | null;
  created_at: number;
  last_used_at: number | null;
};

/** Challenges that expired this long before a new one's expiry are surely dead: pruned then. */
export const CHALLENGE_PRUNE_MS = 24 * 60 * 60 * 1000;

export function passkeyFromRow(row: PasskeyRow): PasskeyRecord {
  let transports: string[] = [];
  try {
    const parsed: unknown = JSON.parse(row.transports ?? "[]");
    if (Array.isArray(parsed)) transports = parsed.filter((t) => typeof t === "string");
  } catch {
    // A damaged column only loses the transport hints.
  }
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    publicKey: new Uint8Array(row.public_key),
    counter: Number(row.counter),
    transports,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}
