// Versioned schema: entry N brings a database from user_version N to N+1. Append only.
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     conversation TEXT NOT NULL,
     from_id TEXT NOT NULL,
     from_name TEXT NOT NULL,
     from_avatar TEXT NOT NULL,
     to_id TEXT,
     to_name TEXT,
     to_avatar TEXT,
     content TEXT NOT NULL,
     ts INTEGER NOT NULL,
     cid TEXT
   );
   CREATE INDEX messages_by_conversation ON messages (conversation, seq);
   CREATE INDEX messages_by_cid ON messages (from_id, cid) WHERE cid IS NOT NULL;
   CREATE TABLE sessions (
     user_id TEXT PRIMARY KEY,
     token_hash TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     avatar TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL
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
     created_at INTEGER NOT NULL
   );
   CREATE TABLE room_members (
     room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     joined_at INTEGER NOT NULL,
     PRIMARY KEY (room_id, user_id)
   );
   CREATE INDEX room_members_by_user ON room_members (user_id, room_id);
   CREATE TABLE read_state (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     last_read INTEGER NOT NULL,
     PRIMARY KEY (user_id, conversation)
   );
   CREATE TABLE message_mentions (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (user_id, conversation, seq)
   );
   CREATE TABLE direct_peers (
     user_id TEXT NOT NULL,
     peer_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     PRIMARY KEY (user_id, peer_id)
   );`,
  // Several devices (issue 9): users hold nicknames, sessions are one per device. v1 sessions
  // are kept: each becomes a user with one session of the same id (its skeleton is its key
  // until it ends, at most 24 hours later).
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     name_key TEXT NOT NULL UNIQUE,
     skeleton TEXT NOT NULL UNIQUE,
     avatar TEXT NOT NULL,
     admin INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL
   );
   INSERT INTO users (id, name, name_key, skeleton, avatar, created_at)
     SELECT user_id, name, name_key, name_key, avatar, created_at FROM sessions;
   CREATE TABLE device_sessions (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id),
     token_hash TEXT NOT NULL UNIQUE,
     ip TEXT NOT NULL DEFAULT '',
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL
   );
   INSERT INTO device_sessions (id, user_id, token_hash, created_at, last_seen_at)
     SELECT user_id, user_id, token_hash, created_at, last_seen_at FROM sessions;
   DROP TABLE sessions;
   ALTER TABLE device_sessions RENAME TO sessions;
   CREATE INDEX sessions_by_user ON sessions (user_id, last_seen_at);
   CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
   CREATE TABLE link_codes (
     code_hash TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE bans (
     skeleton TEXT NOT NULL,
     ip TEXT,
     until INTEGER NOT NULL
   );
   CREATE INDEX bans_by_skeleton ON bans (skeleton);
   CREATE INDEX bans_by_ip ON bans (ip) WHERE ip IS NOT NULL;`,
  // Message actions and search: replies, edits, deletes, reactions; a trigram full-text index
  // over the messages table itself (external content: it keeps no copy of the text), whose
  // secure-delete option erases a deleted or edited text's tokens from the index too.
  `ALTER TABLE messages ADD COLUMN reply_to INTEGER;
   ALTER TABLE messages ADD COLUMN edited_at INTEGER;
   ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN reactions TEXT;
   CREATE VIRTUAL TABLE messages_fts USING fts5(
     content, content = 'messages', content_rowid = 'seq', tokenize = 'trigram'
   );
   INSERT INTO messages_fts (messages_fts, rank) VALUES ('secure-delete', 1);
   INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
   CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
     INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
   END;
   CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
   END;
   CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
     INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
   END;`,
  // Files: uploads (metadata here, bytes under DATA_DIR/uploads), and the attachments a
  // message was sent with (a copy of the metadata, so history needs no join).
  `ALTER TABLE messages ADD COLUMN attachments TEXT;
   CREATE TABLE uploads (
     id TEXT PRIMARY KEY,
     uploader_id TEXT NOT NULL,
     name TEXT NOT NULL,
     type TEXT NOT NULL,
     size INTEGER NOT NULL,
     width INTEGER,
     height INTEGER,
     thumb_type TEXT,
     created_at INTEGER NOT NULL,
     message_seq INTEGER
   );
   CREATE INDEX uploads_unsent ON uploads (created_at) WHERE message_seq IS NULL;
   CREATE INDEX uploads_by_message ON uploads (message_seq) WHERE message_seq IS NOT NULL;`,
  // Unread counts (the rooms snapshot) take each message's author from the index, not from
  // its row: a count over thousands of unread messages reads no table page.
  `DROP INDEX messages_by_conversation;
   CREATE INDEX messages_by_conversation ON messages (conversation, seq, from_id);`,
  // Web Push: each user's subscriptions (an endpoint is one browser) and its notification
  // level per conversation (absent: the conversation kind's default).
  `CREATE TABLE push_subscriptions (
     endpoint TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     p256dh TEXT NOT NULL,
     auth TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
   CREATE TABLE notify_levels (
     user_id TEXT NOT NULL,
     conversation TEXT NOT NULL,
     level TEXT NOT NULL CHECK (level IN ('all', 'mentions', 'none')),
     PRIMARY KEY (user_id, conversation)
   );
   CREATE INDEX notify_levels_by_conversation ON notify_levels (conversation);`,
  // Unread counts in a few index seeks, whatever their size: each message carries its place
  // in its conversation (\`n\`) and among its author's messages there (\`an\`). The messages
  // after a mark are then (newest n − n at the mark) − (the reader's own: newest an − an at
  // the mark). Messages are only ever removed a whole conversation at a time (room delete),
  // and a deleted message keeps its row, so the places stay exact.
  `ALTER TABLE messages ADD COLUMN n INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE messages ADD COLUMN an INTEGER NOT NULL DEFAULT 0;
   UPDATE messages SET n = w.n, an = w.an FROM (
     SELECT seq,
       ROW_NUMBER() OVER (PARTITION BY conversation ORDER BY seq) AS n,
       ROW_NUMBER() OVER (PARTITION BY conversation, from_id ORDER BY seq) AS an
     FROM messages
   ) AS w WHERE messages.seq = w.seq;
   DROP INDEX messages_by_conversation;
   CREATE INDEX messages_by_conversation ON messages (conversation, seq, n);
   CREATE INDEX messages_by_author ON messages (conversation, from_id, seq, an);`,
  // The full-text index in batches (SearchIndexer): messages after `upto` are not in it yet,
  // and search scans them. Everything stored so far was indexed by the insert trigger.
  `CREATE TABLE search_indexed (upto INTEGER NOT NULL);
   INSERT INTO search_indexed (upto) SELECT COALESCE(MAX(seq), 0) FROM messages;
   DROP TRIGGER messages_fts_insert;
   DROP TRIGGER messages_fts_delete;
   DROP TRIGGER messages_fts_update;
   CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
   WHEN old.seq <= (SELECT upto FROM search_indexed) BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
   END;
   CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages
   WHEN old.seq <= (SELECT upto FROM search_indexed) BEGIN
     INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.seq, old.content);
     INSERT INTO messages_fts (rowid, content) VALUES (new.seq, new.content);
   END;`,
  // Accounts that last (v3): a user with a password or a passkey is secured and kept with no
  // session; failed credential checks per account; passkeys and their one-time challenges;
  // uploaded profile pictures (small WebP, kept in the database so every node serves them).
  `ALTER TABLE users ADD COLUMN secured INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE users ADD COLUMN password_hash TEXT;
   CREATE TABLE login_failures (user_id TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX login_failures_by_user ON login_failures (user_id, at);
   CREATE TABLE passkeys (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     name TEXT NOT NULL,
     public_key BLOB NOT NULL,
     counter INTEGER NOT NULL,
     transports TEXT,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER
   );
   CREATE INDEX passkeys_by_user ON passkeys (user_id);
   CREATE TABLE webauthn_challenges (
     challenge TEXT PRIMARY KEY,
     user_id TEXT,
     expires_at INTEGER NOT NULL
   );
   CREATE TABLE custom_avatars (
     id TEXT PRIMARY KEY,
     user_id TEXT NOT NULL,
     data BLOB NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX custom_avatars_by_user ON custom_avatars (user_id);`,
];
