import type { Pool } from "pg";

// Versioned schema: entry N brings a database from version N to N+1. Append only.
export const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     conversation TEXT NOT NULL,
     from_id TEXT NOT NULL,
     from_name TEXT NOT NULL,
     from_avatar TEXT NOT NULL,
     to_id TEXT,
     to_name TEXT,
     to_avatar TEXT,
     content TEXT NOT NULL,
     ts BIGINT NOT NULL,
     cid TEXT
   );
   CREATE INDEX messages_by_conversation ON messages (conversation, seq);
   CREATE INDEX messages_by_cid ON messages (from_id, cid, seq) WHERE cid IS NOT NULL;
   CREATE TABLE sessions (
     user_id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     avatar TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_seen_at BIGINT NOT NULL
   );`,
  // v2: rooms and memberships, read state, mentions, the list of private conversations.
  `ALTER TABLE messages ADD COLUMN mentions TEXT;
   CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL CHECK (kind IN ('open', 'closed')),
     topic TEXT NOT NULL DEFAULT '',
     created_by_id TEXT,
     created_by_name TEXT,
     created_by_avatar TEXT,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE room_members (
     room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     joined_at BIGINT NOT NULL,
     PRIMARY KEY (room_id, user_id)
   );
   CREATE INDEX room_members_by_user ON room_members (user_id, room_id);
   CREATE TABLE read_state (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     last_read BIGINT NOT NULL,
     PRIMARY KEY (user_id, conversation)
   );
   CREATE TABLE message_mentions (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     seq BIGINT NOT NULL,
     PRIMARY KEY (user_id, conversation, seq)
   );
   CREATE TABLE direct_peers (
     user_id TEXT NOT NULL,
     peer_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     PRIMARY KEY (user_id, peer_id)
   );`,
  // Several devices (issue 9): see sqlite-migrations.ts; v1 sessions are migrated in place.
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     skeleton TEXT NOT NULL UNIQUE,
     avatar TEXT NOT NULL,
     admin BOOLEAN NOT NULL DEFAULT false,
     created_at BIGINT NOT NULL
   );
   INSERT INTO users (id, name, name_key, skeleton, avatar, created_at)
     SELECT user_id, name, name_key, name_key, avatar, created_at FROM sessions;
   ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;
   ALTER TABLE sessions DROP CONSTRAINT sessions_name_key_key;
   ALTER TABLE sessions RENAME COLUMN user_id TO id;
   ALTER TABLE sessions ADD COLUMN user_id TEXT;
   UPDATE sessions SET user_id = id;
   ALTER TABLE sessions ALTER COLUMN user_id SET NOT NULL;
   ALTER TABLE sessions ADD PRIMARY KEY (id);
   ALTER TABLE sessions DROP COLUMN name, DROP COLUMN name_key, DROP COLUMN avatar;
   ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';
   CREATE INDEX sessions_by_user ON sessions (user_id, last_seen_at);
   CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
   CREATE TABLE link_codes (
     code_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE TABLE bans (
     skeleton TEXT NOT NULL,
     ip TEXT,
     until BIGINT NOT NULL
   );
   CREATE INDEX bans_by_skeleton ON bans (skeleton);
   CREATE INDEX bans_by_ip ON bans (ip) WHERE ip IS NOT NULL;`,
  // Message actions and search: replies, edits, deletes, reactions; a trigram index for
  // case-insensitive substring search.
  `ALTER TABLE messages
     ADD COLUMN reply_to BIGINT,
     ADD COLUMN edited_at BIGINT,
     ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false,
     ADD COLUMN reactions TEXT;
   CREATE EXTENSION IF NOT EXISTS pg_trgm;
   CREATE INDEX messages_content_trgm ON messages USING gin (lower(content) gin_trgm_ops);`,
  // Files: uploads and their bytes (in chunks, so every node serves every file and nothing
  // is read whole into memory), and the attachments a message was sent with.
  `ALTER TABLE messages ADD COLUMN attachments TEXT;
   CREATE TABLE uploads (
     id TEXT PRIMARY KEY,
     uploader_id TEXT NOT NULL,
     name TEXT NOT NULL,
     type TEXT NOT NULL,
     size BIGINT NOT NULL,
     width INTEGER,
     height INTEGER,
     thumb_type TEXT,
     created_at BIGINT NOT NULL,
     message_seq BIGINT
   );
   CREATE INDEX uploads_unsent ON uploads (created_at) WHERE message_seq IS NULL;
   CREATE INDEX uploads_by_message ON uploads (message_seq) WHERE message_seq IS NOT NULL;
   CREATE TABLE upload_chunks (
     upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
     variant SMALLINT NOT NULL,
     n INTEGER NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (upload_id, variant, n)
   );
   ALTER TABLE upload_chunks ALTER COLUMN data SET STORAGE EXTERNAL;`,
  // Unread counts (the rooms snapshot) take each message's author from the index: an
  // index-only scan instead of a heap fetch per unread message.
  `DROP INDEX messages_by_conversation;
   CREATE INDEX messages_by_conversation ON messages (conversation, seq) INCLUDE (from_id);`,
  // Web Push: each user's subscriptions (an endpoint is one browser) and its notification
  // level per conversation (absent: the conversation kind's default).
  `CREATE TABLE push_subscriptions (
     endpoint TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     p256dh TEXT NOT NULL,
     auth TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
   CREATE TABLE notify_levels (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     level TEXT NOT NULL CHECK (level IN ('all', 'mentions', 'none')),
     PRIMARY KEY (user_id, conversation)
   );
   CREATE INDEX notify_levels_by_conversation ON notify_levels (conversation);`,
  // Unread counts in a few index seeks (see the SQLite migration of the same name): each
  // message's place in its conversation (\`n\`) and among its author's messages there (\`an\`).
  `ALTER TABLE messages ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN an INTEGER NOT NULL DEFAULT 0;
   UPDATE messages SET n = w.n, an = w.an FROM (
     SELECT seq,
       ROW_NUMBER() OVER (PARTITION BY conversation ORDER BY seq) AS n,
       ROW_NUMBER() OVER (PARTITION BY conversation, from_id ORDER BY seq) AS an
     FROM messages
   ) AS w WHERE messages.seq = w.seq;
   DROP INDEX messages_by_conversation;
   CREATE INDEX messages_by_conversation ON messages (conversation, seq) INCLUDE (n);
   CREATE INDEX messages_by_author ON messages (conversation, from_id, seq) INCLUDE (an);`,
  // Accounts that last (v3): see the SQLite migration of the same name.
  `ALTER TABLE users ADD COLUMN secured BOOLEAN NOT NULL DEFAULT false;
   ALTER TABLE users ADD COLUMN password_hash TEXT;
   CREATE TABLE login_failures (user_id TEXT NOT NULL, at BIGINT NOT NULL);
   CREATE INDEX login_failures_by_user ON login_failures (user_id, at);
   CREATE TABLE passkeys (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     public_key BYTEA NOT NULL,
     counter BIGINT NOT NULL,
     transports TEXT,
     created_at BIGINT NOT NULL,
     last_used_at BIGINT
   );
   CREATE INDEX passkeys_by_user ON passkeys (user_id);
   CREATE TABLE webauthn_challenges (
     challenge TEXT PRIMARY KEY,
     user_id TEXT,
     expires_at BIGINT NOT NULL
   );
   CREATE TABLE custom_avatars (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     data BYTEA NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX custom_avatars_by_user ON custom_avatars (user_id);`,
];

/** Any fixed number: nodes starting together take turns running migrations. */
const MIGRATION_LOCK = 4_204_001;

/** Applies pending migrations, each in its own transaction, under a cluster-wide lock. */
export async function migrate(
  pool: Pool,
  migrations: readonly string[] = PG_MIGRATIONS,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version INTEGER PRIMARY KEY,
         applied_at BIGINT NOT NULL
       )`,
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM schema_migrations",
    );
    const current = rows[0]?.v ?? 0;
    for (let v = current; v < migrations.length; v++) {
      await client.query("BEGIN");
      try {
        await client.query(migrations[v]);
        await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
          v + 1,
          Date.now(),
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
    return Math.max(current, migrations.length);
  } finally {
    // A connection that could not unlock must not go back to the pool still holding the lock.
    const unlocked = await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).then(
      () => true,
      () => false,
    );
    client.release(!unlocked);
  }
}
