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
];
