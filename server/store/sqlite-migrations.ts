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
];
