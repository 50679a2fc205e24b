#!/usr/bin/env node
// The store's own cost per message: CPU of SqliteStore.append (a durable row with its
// indexes, the full-text index in batches, a group commit in WAL mode) for private messages,
// with N messages per commit, in this process pinned to core 0, no sockets. It is the floor
// that storage puts under the private and rooms scenarios, which the bare relays never pay.
//   node bench/store-append.mjs [--messages N]
import { randomBytes, randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { round } from "./lib.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const i = process.argv.indexOf("--messages");
const MESSAGES = Number(i >= 0 ? process.argv[i + 1] : 20_000);
const BATCHES = [1, 4, 16];

if (!process.env.STORE_APPEND_PINNED && spawnSync("taskset", ["-c", "0", "true"]).status === 0) {
  const r = spawnSync("taskset", ["-c", "0", process.execPath, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, STORE_APPEND_PINNED: "1" },
  });
  process.exit(r.status ?? 1);
}

fs.mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
// The store's TypeScript, bundled for this run (better-sqlite3 stays a dependency).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "store-append-"));
const entry = path.join(tmp, "entry.ts");
fs.writeFileSync(
  entry,
  `export { SqliteStore } from ${JSON.stringify(path.join(ROOT, "server/store/sqlite-store"))};
   export { privateConversation } from ${JSON.stringify(path.join(ROOT, "server/store/types"))};`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: "node",
  format: "cjs",
  external: ["better-sqlite3"],
  // Inside the repository, so that it finds node_modules (bench/results is not committed).
  outfile: path.join(ROOT, "bench/results/store-append.cjs"),
  logLevel: "warning",
});
const require = createRequire(path.join(ROOT, "package.json"));
const { SqliteStore, privateConversation } = require(
  path.join(ROOT, "bench/results/store-append.cjs"),
);
fs.rmSync(path.join(ROOT, "bench/results/store-append.cjs"));

const users = Array.from({ length: 1000 }, (_, k) => ({
  id: randomBytes(12).toString("base64url"),
  name: `user${k}`,
  avatar: "fox",
}));

async function measure(batch) {
  const dir = fs.mkdtempSync(path.join(tmp, "db-"));
  const store = new SqliteStore(path.join(dir, "chat.db"));
  // Commits at most BUSY_MS apart, as under load: `batch` messages offered per commit.
  const n = batch === 1 ? MESSAGES / 5 : MESSAGES;
  const t0 = process.cpuUsage();
  for (let k = 0; k < n; k += batch) {
    const pending = [];
    for (let j = 0; j < batch; j++) {
      const u = (k + j) % users.length;
      const [from, to] = [users[u], users[u ^ 1]];
      pending.push(
        store.append(
          {
            from,
            to,
            conversation: privateConversation(from.id, to.id),
            content: `message ${k + j} from sender ${u}, a line of ordinary chat`,
            ts: Date.now(),
            cid: randomUUID(),
          },
          Date.now() - 60_000,
        ),
      );
    }
    await Promise.all(pending);
  }
  const cpu = process.cpuUsage(t0);
  await store.close();
  const us = (cpu.user + cpu.system) / n;
  return {
    batch,
    messages: n,
    cpuUsPerMessage: round(us, 1),
    perPrivateDeliveryUs: round(us / 2, 1),
  };
}

const results = [];
for (const batch of BATCHES) results.push(await measure(batch));
fs.rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify({ scenario: "store-append", results }));
console.log("\nstore append (private messages)   CPU µs/message   µs per private delivery (÷2)");
for (const r of results) {
  console.log(
    `${`${r.batch} per commit`.padEnd(34)} ${String(r.cpuUsPerMessage).padStart(14)}   ${String(r.perPrivateDeliveryUs).padStart(10)}`,
  );
}
