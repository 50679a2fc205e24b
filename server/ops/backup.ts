// `npm run backup -- FILE`: an online copy of DATA_DIR/chat.db through SQLite's backup API,
// consistent while the server keeps writing (it is not stopped). Restore: docs in README.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { ConfigError, loadBackupConfig } from "../config/config";

async function main(): Promise<number> {
  if (!process.argv[2]) {
    process.stderr.write("usage: npm run backup -- FILE\n");
    return 2;
  }
  const { dataDir, databaseUrl, cwd } = loadBackupConfig();
  const target = path.resolve(cwd, process.argv[2]);
  if (databaseUrl) {
    process.stderr.write("DATABASE_URL is set: back PostgreSQL up with pg_dump instead\n");
    return 2;
  }
  const source = path.join(dataDir, "chat.db");
  if (!fs.existsSync(source)) {
    process.stderr.write(`no database at ${source} (DATA_DIR)\n`);
    return 2;
  }
  // Written beside the target and renamed: a FILE that exists is always a whole backup.
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(partial);
  } finally {
    db.close();
  }
  const copy = new Database(partial, { readonly: true });
  const check = copy.pragma("integrity_check", { simple: true });
  const messages = (copy.prepare("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
  copy.close();
  if (check !== "ok") {
    process.stderr.write(`backup failed its integrity check: ${String(check)}\n`);
    return 1;
  }
  fs.renameSync(partial, target);
  process.stdout.write(`backed up ${source} to ${target} (${messages} messages)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`backup failed: ${message}\n`);
    process.exit(1);
  },
);
