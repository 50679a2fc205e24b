import Database from "better-sqlite3";
import { GroupCommit } from "../../server/store/sqlite-group-commit";

describe("GroupCommit", () => {
  let db: Database.Database;
  let commits: number;
  beforeEach(() => {
    db = new Database(":memory:");
    db.exec("CREATE TABLE t (v TEXT PRIMARY KEY)");
    commits = 0;
    const transaction = db.transaction.bind(db);
    // Count outermost transactions (a nested one is a savepoint).
    jest.spyOn(db, "transaction").mockImplementation((fn) => {
      if (!db.inTransaction) commits++;
      return transaction(fn);
    });
  });
  afterEach(() => db.close());

  const insert = (v: string) => () => db.prepare("INSERT INTO t (v) VALUES (?)").run(v).changes;
  const rows = () =>
    (db.prepare("SELECT v FROM t ORDER BY v").all() as { v: string }[]).map((r) => r.v);

  it("runs the work of one turn in one commit, in order, each piece settling after it", async () => {
    const group = new GroupCommit(db);
    const results = await Promise.allSettled([
      group.run(insert("a")),
      group.run(insert("a")), // a duplicate key: refused alone, its savepoint undone
      group.run(() => {
        insert("b")();
        throw new Error("after writing");
      }),
      group.run(insert("c")),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "rejected",
      "rejected",
      "fulfilled",
    ]);
    expect(rows()).toEqual(["a", "c"]);
    expect(commits).toBe(1);
    await group.run(insert("d"));
    expect(commits).toBe(2);
  });

  it("runs a hook last in each transaction, and refuses every piece when the commit fails", async () => {
    let fail = false;
    const group = new GroupCommit(db, {
      inBatch: () => {
        if (fail) throw new Error("disk full");
        insert(`hook${rows().length}`)();
      },
    });
    await group.run(insert("a"));
    expect(rows()).toEqual(["a", "hook1"]);
    fail = true;
    const results = await Promise.allSettled([group.run(insert("b")), group.run(insert("c"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(rows()).toEqual(["a", "hook1"]);
  });

  it("waits busyMs after a recent commit, so that more work shares the next", async () => {
    const group = new GroupCommit(db, { busyMs: 30 });
    await group.run(insert("a"));
    const second = group.run(insert("b"));
    await new Promise((r) => setImmediate(r));
    expect(rows()).toEqual(["a"]);
    const third = group.run(insert("c"));
    await Promise.all([second, third]);
    expect(rows()).toEqual(["a", "b", "c"]);
    expect(commits).toBe(2);
  });
});
