import { Pool } from "pg";
import type { User } from "../../common/events";
import { migrate, PG_MIGRATIONS } from "../../server/store/pg-migrations";
import { PgStore } from "../../server/store/pg-store";
import { PgReadStateStore } from "../../server/store/pg-read-store";
import { GROUP_CONVERSATION, type NewMessage } from "../../server/store/types";
import { startPostgres, type PostgresService } from "../support/services";
import { describeRoomStoresContract } from "./room-store-contract";
import { PgBanStore } from "../../server/store/pg-ban-store";
import { PgSessionStore } from "../../server/store/pg-session-store";
import { describeSessionStoreContract } from "./session-store-contract";
import { describeStoreContract } from "./store-contract";
import { describeMessageActionsContract } from "./message-actions-contract";
import fs from "node:fs";
import { createStores, storesOn } from "../../server/store/create-store";
import { loadConfig } from "../../server/config/config";
import { eventually } from "../support/clients";
import { tempDir } from "../support/server";
import { describeUploadStoreContract } from "./upload-store-contract";
import { describePushStoreContract } from "./push-store-contract";
import { describeAccountStoreContract } from "./account-store-contract";
import { describePasskeyStoreContract } from "./passkey-store-contract";
import { describeAvatarStoreContract } from "./avatar-store-contract";
import { searchParams, searchSql } from "../../server/store/pg-search-store";
import { searchTerms } from "../../server/store/search-store";

let pg: PostgresService;
beforeAll(async () => {
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.dispose();
});

async function freshStore(url?: string): Promise<PgStore> {
  const store = new PgStore({ connectionString: url ?? (await pg.createDatabase()) });
  await store.init();
  return store;
}

describeStoreContract("PostgreSQL", () => freshStore());
describeRoomStoresContract("PostgreSQL", async () => storesOn(await freshStore()));
describeMessageActionsContract(
  "PostgreSQL",
  async () => storesOn(await freshStore()),
  async (s) => {
    const { rows } = await (s.store as PgStore).pool.query<{ content: string }>(
      "SELECT content FROM messages",
    );
    return rows.map((r) => r.content).join("\n");
  },
);
describeAccountStoreContract("PostgreSQL", async () => storesOn(await freshStore()));
describePushStoreContract("PostgreSQL", async () => storesOn(await freshStore()));
describePasskeyStoreContract("PostgreSQL", async () => storesOn(await freshStore()));
describeSessionStoreContract("PostgreSQL", async () => {
  const store = await freshStore();
  return {
    sessions: new PgSessionStore(store.pool),
    bans: new PgBanStore(store.pool),
    close: () => store.close(),
  };
});
describeUploadStoreContract("PostgreSQL", async () => storesOn(await freshStore()));
describeAvatarStoreContract("PostgreSQL", async () => storesOn(await freshStore()));

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const msg = (content: string, cid?: string): NewMessage => ({
  from: alice,
  conversation: GROUP_CONVERSATION,
  content,
  cid,
  ts: Date.now(),
});

describe("PostgreSQL migrations", () => {
  it("migrate v1 data in place: group history stays readable", async () => {
    const url = await pg.createDatabase();
    const pool = new Pool({ connectionString: url });
    await migrate(pool, PG_MIGRATIONS.slice(0, 1));
    await pool.query(
      `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
       VALUES ('group', 'u1', 'Old', 'fox', 'from v1', 5)`,
    );
    await pool.end();
    const store = await freshStore(url);
    const [m] = await store.history({ conversation: GROUP_CONVERSATION, limit: 5 });
    expect(m).toMatchObject({ content: "from v1", room: "group", from: { id: "u1" } });
    await store.close();
  });

  it("give messages stored before unread places their places, and new ones follow on", async () => {
    const url = await pg.createDatabase();
    const pool = new Pool({ connectionString: url });
    // Every migration before the one that adds the places.
    const places = PG_MIGRATIONS.findIndex((m) => m.includes("ADD COLUMN n INTEGER"));
    await migrate(pool, PG_MIGRATIONS.slice(0, places));
    for (const [c, u] of [
      ["group", "u1"],
      ["r:x", "u2"],
      ["group", "u2"],
      ["group", "u1"],
    ])
      await pool.query(
        `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
         VALUES ($1, $2, $2, 'fox', 'old', 1)`,
        [c, u],
      );
    const store = await freshStore(url);
    await store.append(
      {
        from: { id: "u2", name: "u2", avatar: "fox" },
        conversation: "group",
        content: "new",
        ts: 2,
      },
      0,
    );
    const reads = new PgReadStateStore(pool);
    const count = async (user: string) =>
      (await reads.summaries(user, [{ key: "group", startAtNewest: false }]))[0].unread;
    expect([await count("u1"), await count("u2"), await count("u3")]).toEqual([2, 2, 4]);
    await store.close();
    await pool.end();
  });

  it("bring an empty database to the latest version once, even with nodes starting together", async () => {
    const url = await pg.createDatabase();
    const stores = await Promise.all([freshStore(url), freshStore(url), freshStore(url)]);
    await Promise.all(stores.map((s) => s.close()));
    const again = await freshStore(url);
    await again.close();
    const pool = new Pool({ connectionString: url });
    const { rows } = await pool.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    await pool.end();
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
  });
});

describe("PostgreSQL shared by several nodes", () => {
  let url: string;
  let nodes: PgStore[];
  beforeEach(async () => {
    url = await pg.createDatabase();
    nodes = [await freshStore(url), await freshStore(url)];
  });
  afterEach(async () => {
    await Promise.all(nodes.map((n) => n.close()));
  });

  it("lets the database decide cid duplicates and the order of ids", async () => {
    const sends = Array.from({ length: 40 }, (_, i) =>
      nodes[i % 2].append(msg(`m${i}`, `c${i % 10}`), 0),
    );
    const results = await Promise.all(sends);
    const fresh = results.filter((r) => !r.duplicate);
    expect(fresh).toHaveLength(10);
    for (const r of results.filter((x) => x.duplicate)) {
      expect(fresh.map((f) => f.message)).toContainEqual(r.message);
    }
    const history = await nodes[1].history({ conversation: GROUP_CONVERSATION, limit: 100 });
    expect(history.map((m) => m.id)).toEqual(fresh.map((f) => f.message.id).sort());
  });

  it("gives a nickname to exactly one of several concurrent logins", async () => {
    const attempts = Array.from({ length: 8 }, (_, i) =>
      new PgSessionStore(nodes[i % 2].pool).createUser(
        {
          user: { id: `u${i}`, name: "Same", avatar: "fox" },
          nameKey: i % 2 ? "same" : `s${i}`,
          skeleton: "same",
          createdAt: Date.now(),
        },
        {
          id: `s${i}`,
          userId: `u${i}`,
          tokenHash: `t${i}`,
          ip: "",
          createdAt: Date.now(),
          lastSeenAt: Date.now(),
        },
        0,
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o.outcome === "created")).toHaveLength(1);
  });
});

describe("PostgreSQL migration to several devices", () => {
  it("keeps v1 sessions: each becomes a user with one session", async () => {
    const url = await pg.createDatabase();
    const pool = new Pool({ connectionString: url });
    // pool.end() resolves before its connections have closed: one may still hear PostgreSQL
    // shut down in afterAll, which must not be an unhandled error.
    pool.on("error", () => {});
    await migrate(pool, PG_MIGRATIONS.slice(0, 1));
    await pool.query(
      `INSERT INTO sessions (user_id, token_hash, name, name_key, avatar, created_at, last_seen_at)
       VALUES ('u1', 'h1', 'Alice', 'alice', 'fox', 1, $1)`,
      [Date.now()],
    );
    await migrate(pool);
    const sessions = new PgSessionStore(pool);
    expect(await sessions.findSessionByToken("h1", 0)).toMatchObject({
      id: "u1",
      user: { id: "u1", name: "Alice", avatar: "fox" },
    });
    expect(
      await sessions.addSession({
        id: "s2",
        userId: "u1",
        tokenHash: "h2",
        ip: "",
        createdAt: 1,
        lastSeenAt: Date.now(),
      }),
    ).toBe(true);
    await pool.end();
  });
});

describe("PostgreSQL search", () => {
  let store: PgStore;
  beforeAll(async () => {
    store = await freshStore();
    // Many ordinary messages, a few with a rare word, statistics up to date.
    await store.pool.query(
      `INSERT INTO messages (conversation, from_id, from_name, from_avatar, content, ts)
       SELECT 'group', 'u1', 'A', 'fox',
              CASE WHEN g % 5000 = 0 THEN 'we met at Quokkafjord ' || g
                   ELSE 'ordinary chatter number ' || g || ' about lunch' END, g
       FROM generate_series(1, 20000) g`,
    );
    await store.pool.query("ANALYZE messages");
  }, 60_000);
  afterAll(() => store.close());

  /** The plan the planner picks for the search statement of `q`, as text. */
  async function plan(q: string): Promise<string> {
    const query = { terms: searchTerms(q), conversations: ["group"], limit: 20 };
    const { rows } = await store.pool.query<{ "QUERY PLAN": string }>(
      `EXPLAIN ${searchSql(query.terms.length, true)}`,
      searchParams(query),
    );
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  }

  it("finds a rare term through the pg_trgm index, one LIKE per term", async () => {
    expect(await plan("quokkafjord")).toMatch(/Bitmap Index Scan on messages_content_trgm/);
    const two = await plan("quokkafjord met");
    expect(two).toMatch(/Bitmap Index Scan on messages_content_trgm/);
    expect(two).toMatch(/lower\(content\) ~~ .*quokkafjord/);
    expect(two).not.toMatch(/ALL/);
    const s = storesOn(store);
    const found = await s.search.search({
      terms: searchTerms("QUOKKAFJORD 1000"),
      conversations: ["group"],
      limit: 20,
    });
    expect(found.map((m) => m.content)).toEqual(["we met at Quokkafjord 10000"]);
  });

  it("treats % _ and \\ in a term as text, not as patterns", async () => {
    const s = storesOn(store);
    await store.append(msg("100% sure_thing c:\\tmp"), 0);
    const find = (q: string) =>
      s.search.search({ terms: searchTerms(q), conversations: ["group"], limit: 20 });
    expect((await find("0% sure_t")).map((m) => m.content)).toEqual(["100% sure_thing c:\\tmp"]);
    expect((await find(":\\tm")).map((m) => m.content)).toEqual(["100% sure_thing c:\\tmp"]);
    expect(await find("ordinary%lunch")).toEqual([]);
    expect(await find("e_thing_")).toEqual([]);
  });

  it("folds non-ASCII case in a UTF-8 database; a C-locale database is detected", async () => {
    expect(store.foldsCase).toBe(true);
    const s = storesOn(store);
    await store.append(msg("ÉCOLE ΣΟΦΊΑ Жизнь"), 0);
    const found = await s.search.search({
      terms: searchTerms("école σοφία жизнь"),
      conversations: ["group"],
      limit: 20,
    });
    expect(found.map((m) => m.content)).toEqual(["ÉCOLE ΣΟΦΊΑ Жизнь"]);
    const c = await freshStore(await pg.createDatabase(undefined, "C"));
    expect(c.foldsCase).toBe(false);
    await c.close();
  });
});

describe("PostgreSQL at start-up", () => {
  it("vacuums the messages table, in case a crash skipped the vacuum after an edit", async () => {
    const url = await pg.createDatabase();
    const dir = tempDir("chat-pg-start-");
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, SESSION_SECRET: "s".repeat(32) });
    const stores = await createStores(config);
    const vacuums = async () =>
      (
        await (stores.store as PgStore).pool.query<{ n: string }>(
          "SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE relname = 'messages'",
        )
      ).rows[0].n;
    expect(await vacuums()).toBe("0");
    await eventually(async () => (await vacuums()) === "1");
    await stores.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
