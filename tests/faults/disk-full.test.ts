// The disk fills up under SQLite: sends answer `internal`, the process and the database survive
// (integrity_check ok), and service resumes once space is freed. DATA_DIR is a small tmpfs the
// test mounts, so it needs root (CI runs as root); without it the test fails, naming why.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import request from "supertest";
import type { Message } from "../../common/events";
import { historyOf, joinChat, send, sendOk, type Client } from "../support/clients";
import { startServer, tempDir, type TestServer } from "../support/server";

const mountPoint = tempDir("chat-diskfull-");
let mounted = false;
let server: TestServer | undefined;
let client: Client;

beforeAll(async () => {
  if (process.getuid?.() !== 0) {
    throw new Error("disk-full test needs root: it mounts a tmpfs (mount -t tmpfs) for DATA_DIR");
  }
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", mountPoint]);
  mounted = true;
  server = await startServer({ DATA_DIR: mountPoint, RATE_LIMIT_MESSAGES: "1000" });
  client = await joinChat(server.url);
});
afterAll(async () => {
  client?.socket.close();
  await server?.close();
  if (mounted) execFileSync("umount", [mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

/** Fills the file system with one file until it says ENOSPC. */
function fill(file: string): void {
  const fd = fs.openSync(file, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    fs.closeSync(fd);
  }
}

it("answers internal while the disk is full, then resumes; nothing acked is lost", async () => {
  const acked: Message[] = [await sendOk(client.socket, { content: "before" })];
  const filler = path.join(mountPoint, "filler");
  fill(filler);

  // Free pages in the WAL may take a few messages; past them every commit fails.
  const codes: string[] = [];
  for (let i = 0; i < 400 && !codes.includes("internal"); i++) {
    const ack = await send(client.socket, { content: `full ${i} `.padEnd(2000, "x") });
    if (ack.ok) acked.push(ack.message);
    else codes.push(ack.error.code);
  }
  expect(codes).toContain("internal");
  expect(new Set(codes)).toEqual(new Set(["internal"]));
  // Still up: health and reads answer.
  await request(server!.url).get("/healthz").expect(200);
  expect((await historyOf(client.socket, { limit: 1 })).length).toBe(1);

  fs.rmSync(filler);
  acked.push(await sendOk(client.socket, { content: "after" }));

  const stored = new Map<string, Message>();
  let after = "0";
  for (;;) {
    const page = await historyOf(client.socket, { limit: 100, after });
    if (page.length === 0) break;
    for (const m of page) stored.set(m.id, m);
    after = page[page.length - 1].id;
  }
  expect(acked.filter((m) => stored.get(m.id)?.content !== m.content)).toEqual([]);

  await server!.close();
  server = undefined;
  const db = new Database(path.join(mountPoint, "chat.db"), { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  } finally {
    db.close();
  }
}, 60_000);
