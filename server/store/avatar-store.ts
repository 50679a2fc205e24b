/**
 * Uploaded profile pictures: a small square WebP each, kept in the database so every node
 * serves every one. Implementations: SQLite and PostgreSQL.
 */
export interface AvatarStore {
  save(id: string, userId: string, webp: Buffer, now: number): Promise<void>;
  get(id: string): Promise<Buffer | null>;
  /** Removes a user's pictures but `keep` (the one it now shows); returns how many went. */
  removeOthers(userId: string, keep: string | null): Promise<number>;
}
