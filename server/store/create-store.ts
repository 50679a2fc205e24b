import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { PgStore } from "./pg-store";
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
