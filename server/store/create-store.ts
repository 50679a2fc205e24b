import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { PgBanStore } from "./pg-ban-store";
import { PgSessionStore } from "./pg-session-store";
import { PgStore } from "./pg-store";
import type { BanStore, SessionStore } from "./session-types";
import { SqliteBanStore } from "./sqlite-ban-store";
import { SqliteSessionStore } from "./sqlite-session-store";
import { SqliteStore } from "./sqlite-store";
import type { ChatStore } from "./types";

/** SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database. */
export async function createStore(config: Config, log?: Logger): Promise<ChatStore> {
  if (config.databaseUrl) {
    const store = new PgStore({ connectionString: config.databaseUrl }, (err) =>
      log?.warn({ err }, "postgres connection lost"),
    );
    await store.init();
    return store;
  }
  const store = new SqliteStore(path.join(config.dataDir, "chat.db"));
  await store.init();
  return store;
}

export type ConcernStores = { sessionStore: SessionStore; banStore: BanStore };

/** The per-concern stores on the database handle of a (migrated) message store. */
export function concernStores(store: ChatStore): ConcernStores {
  if (store instanceof SqliteStore) {
    return {
      sessionStore: new SqliteSessionStore(store.db),
      banStore: new SqliteBanStore(store.db),
    };
  }
  if (store instanceof PgStore) {
    return { sessionStore: new PgSessionStore(store.pool), banStore: new PgBanStore(store.pool) };
  }
  throw new Error("no session store for this message store: pass sessionStore and banStore");
}
