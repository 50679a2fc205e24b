// `npm run backup -- FILE` while the server is serving, then a restore into a fresh DATA_DIR:
// a server started on it shows everything that was acked before the backup began.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import type { Message } from "../../common/events";
import { chatter, fullHistory } from "../cluster/harness";
import { joinChat, sendOk } from "../support/clients";
import { spawnServer, tempDir } from "../support/server";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");

it("backs up online and restores into a fresh DATA_DIR with its history", async () => {
  const dataDir = tempDir("chat-live-");
  const live = await spawnServer({ DATA_DIR: dataDir, RATE_LIMIT_MESSAGES: "1000000" });
  const file = path.join(tempDir("chat-backup-"), "chat-backup.db");
  try {
    const alice = await joinChat(live.url);
    const before: Message[] = [];
    for (let i = 0; i < 30; i++) before.push(await sendOk(alice.socket, { content: `m${i}` }));
    // Writes go on during the backup.
    const during: Message[] = [];
    const traffic = chatter(alice, during, 5);
    const { stdout } = await run(process.execPath, ["dist/server/backup.js", file], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: dataDir },
    });
    await traffic.stop();
    alice.socket.close();
    expect(stdout).toMatch(/^backed up .* \(\d+ messages\)\n$/);
    expect(during.length).toBeGreaterThan(0);

    const copy = new Database(file, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();

    // Restore: the file becomes chat.db of an empty DATA_DIR.
    const fresh = tempDir("chat-restored-");
    fs.copyFileSync(file, path.join(fresh, "chat.db"));
    const restored = await spawnServer({ DATA_DIR: fresh });
    try {
      const bob = await joinChat(restored.url);
      const history = await fullHistory(bob.socket);
      const byId = new Map(history.map((m) => [m.id, m]));
      expect(before.filter((m) => byId.get(m.id)?.content !== m.content)).toEqual([]);
      // Ids stay in order and unique: a consistent snapshot, not a torn copy.
      expect(history.map((m) => m.id)).toEqual([...new Set(history.map((m) => m.id))].sort());
      bob.socket.close();
    } finally {
      await restored.kill();
    }
  } finally {
    await live.kill();
  }
}, 60_000);

it("refuses without a FILE, or without a database in DATA_DIR", async () => {
  const backup = (args: string[]) =>
    run(process.execPath, ["dist/server/backup.js", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", DATA_DIR: tempDir() },
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
  expect(await backup([])).toMatchObject({ code: 2, stderr: "usage: npm run backup -- FILE\n" });
  const missing = await backup([path.join(tempDir(), "x.db")]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^no database at .*chat\.db \(DATA_DIR\)\n$/);
});
