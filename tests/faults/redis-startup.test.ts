// REDIS_URL set and nobody answering there: the node refuses to start (exit 3, one clear line),
// rather than serve a chat of its own that other nodes never hear.
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../support/services";
import { tempDir } from "../support/server";

it("exits 3 with a clear error when Redis is unreachable at start-up", async () => {
  const port = await freePort(); // nothing listens there
  const child = spawn(process.execPath, [path.resolve(__dirname, "../../dist/server/index.js")], {
    env: {
      PATH: process.env.PATH ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: tempDir(),
      LOG_LEVEL: "error",
      REDIS_URL: `redis://someone:s3cret@127.0.0.1:${port}`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code).toBe(3);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(stderr).toContain(`fatal: Redis unreachable at 127.0.0.1:${port} (REDIS_URL)`);
  expect(stderr).toContain("ECONNREFUSED");
  expect(stderr + stdout).not.toContain("s3cret");
  expect(stdout).not.toContain('"msg":"listening"');
}, 20_000);
