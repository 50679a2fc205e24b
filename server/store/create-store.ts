import path from "node:path";
import type { Config } from "../config/config";
import { SqliteStore } from "./sqlite-store";
import type { ChatStore } from "./types";

/** SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database. */
export async function createStore(config: Config): Promise<ChatStore> {
  if (config.databaseUrl) {
    throw new Error("PostgreSQL store not available in this build");
  }
  const store = new SqliteStore(path.join(config.dataDir, "chat.db"));
  await store.init();
  return store;
}
