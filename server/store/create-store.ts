import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import { PgReadStateStore } from "./pg-read-store";
import { PgRoomStore } from "./pg-room-store";
import { PgStore } from "./pg-store";
import type { ReadStateStore } from "./read-store";
import type { RoomStore } from "./room-store";
import { SqliteReadStateStore } from "./sqlite-read-store";
import { SqliteRoomStore } from "./sqlite-room-store";
import { SqliteStore } from "./sqlite-store";
import type { ChatStore } from "./types";

/** One store per concern, all on one database. `store` owns it and closes it. */
export type Stores = { store: ChatStore; rooms: RoomStore; reads: ReadStateStore };

/** The per-concern stores that share the messages store's database. */
export function storesOn(store: SqliteStore | PgStore): Stores {
  if (store instanceof PgStore) {
    return { store, rooms: new PgRoomStore(store.pool), reads: new PgReadStateStore(store.pool) };
  }
  return {
    store,
    rooms: new SqliteRoomStore(store.db),
    reads: new SqliteReadStateStore(store.db),
  };
}

/** SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database. */
export async function createStores(config: Config, log?: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    const store = new PgStore({ connectionString: config.databaseUrl }, (err) =>
      log?.warn({ err }, "postgres connection lost"),
    );
    await store.init();
    return storesOn(store);
  }
  const store = new SqliteStore(path.join(config.dataDir, "chat.db"));
  await store.init();
  return storesOn(store);
}
