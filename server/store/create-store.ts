import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import type { Config } from "../config/config";
import type { AccountStore } from "./account-store";
import type { MessageActionStore } from "./message-action-store";
import { PgAccountStore } from "./pg-account-store";
import { SqliteAccountStore } from "./sqlite-account-store";
import { PgBanStore } from "./pg-ban-store";
import { PgMessageActions } from "./pg-message-actions";
import { PgSearchStore } from "./pg-search-store";
import { PgReadStateStore } from "./pg-read-store";
import { PgRoomStore } from "./pg-room-store";
import { PgSessionStore } from "./pg-session-store";
import { PgPushStore } from "./pg-push-store";
import { PgPasskeyStore } from "./pg-passkey-store";
import type { PasskeyStore } from "./passkey-store";
import { PgStore } from "./pg-store";
import type { PushStore } from "./push-store";
import type { ReadStateStore } from "./read-store";
import type { RoomStore } from "./room-store";
import type { BanStore, SessionStore } from "./session-types";
import type { SearchStore } from "./search-store";
import type { UploadStore } from "./upload-store";
import type { AvatarStore } from "./avatar-store";
import { PgAvatarStore } from "./pg-avatar-store";
import { SqliteAvatarStore } from "./sqlite-avatar-store";
import { PgUploadStore } from "./pg-upload-store";
import { SqliteUploadStore } from "./sqlite-upload-store";
import { SqliteBanStore } from "./sqlite-ban-store";
import { SqliteMessageActions } from "./sqlite-message-actions";
import { SqliteSearchStore } from "./sqlite-search-store";
import { SqliteReadStateStore } from "./sqlite-read-store";
import { SqliteRoomStore } from "./sqlite-room-store";
import { SqliteSessionStore } from "./sqlite-session-store";
import { SqlitePushStore } from "./sqlite-push-store";
import { SqlitePasskeyStore } from "./sqlite-passkey-store";
import { SqliteStore } from "./sqlite-store";
import type { ChatStore } from "./types";

/** One store per concern, all on one database. `store` owns it and closes it. */
export type Stores = {
  store: ChatStore;
  rooms: RoomStore;
  reads: ReadStateStore;
  sessionStore: SessionStore;
  banStore: BanStore;
  actions: MessageActionStore;
  search: SearchStore;
  uploads: UploadStore;
  push: PushStore;
  /** (v3) Passkeys and their one-time WebAuthn challenges. */
  passkeys: PasskeyStore;
  /** (v3) Uploaded profile pictures. */
  avatars: AvatarStore;
  /** (v3) Secured users: passwords and failed credential checks. */
  accounts: AccountStore;
};

/** The per-concern stores that share the messages store's database. */
export function storesOn(store: SqliteStore | PgStore, uploadsDir?: string): Stores {
  if (store instanceof PgStore) {
    const { pool } = store;
    return {
      store,
      rooms: new PgRoomStore(pool),
      reads: new PgReadStateStore(pool),
      sessionStore: new PgSessionStore(pool),
      banStore: new PgBanStore(pool),
      actions: new PgMessageActions(pool),
      search: new PgSearchStore(pool),
      uploads: new PgUploadStore(pool),
      push: new PgPushStore(pool),
      passkeys: new PgPasskeyStore(pool),
      avatars: new PgAvatarStore(pool),
      accounts: new PgAccountStore(pool),
    };
  }
  const { db } = store;
  return {
    store,
    rooms: new SqliteRoomStore(db),
    reads: new SqliteReadStateStore(db),
    sessionStore: new SqliteSessionStore(db),
    banStore: new SqliteBanStore(db),
    actions: new SqliteMessageActions(db),
    search: new SqliteSearchStore(db),
    uploads: new SqliteUploadStore(db, uploadsDir ?? defaultUploadsDir(db.name)),
    push: new SqlitePushStore(db),
    passkeys: new SqlitePasskeyStore(db),
    avatars: new SqliteAvatarStore(db),
    accounts: new SqliteAccountStore(db),
  };
}

/** SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database. */
export async function createStores(config: Config, log?: Logger): Promise<Stores> {
  if (config.databaseUrl) {
    const store = new PgStore({ connectionString: config.databaseUrl }, (err) =>
      log?.warn({ err }, "postgres connection lost"),
    );
    await store.init();
    if (!store.foldsCase) {
      log?.warn(
        "the PostgreSQL database's LC_CTYPE does not fold non-ASCII letters (C or POSIX): " +
          "search is case-sensitive beyond ASCII; create the database with a UTF-8 locale",
      );
    }
    const stores = storesOn(store);
    (stores.actions as PgMessageActions).vacuumSoon();
    return stores;
  }
  const store = new SqliteStore(path.join(config.dataDir, "chat.db"));
  await store.init();
  return storesOn(store, path.join(config.dataDir, "uploads"));
}

/** Beside the database file (DATA_DIR/uploads); a private temp dir for an in-memory database. */
function defaultUploadsDir(dbFile: string): string {
  if (dbFile === ":memory:" || dbFile === "") {
    return fs.mkdtempSync(path.join(os.tmpdir(), "chat-uploads-"));
  }
  return path.join(path.dirname(dbFile), "uploads");
}
