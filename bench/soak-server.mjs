/* global fetch */
// The soak's server: ours under `--expose-gc` (not pinned: the soak measures memory and loss,
// not CPU), every line it logs at warn or above counted as unexpected, and a sample that runs
// a full GC (SIGUSR2, see server/index.ts) and reads /metrics from loopback.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startOurServer } from "./our-server.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const round = (x) => Math.round(x * 10) / 10;

/** Starts the server; `unexpected(text)` hears each line it logs. */
export async function startSoakServer(unexpected) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-soak-"));
  let tail = "";
  const onOutput = (chunk) => {
    tail += chunk.toString();
    const lines = tail.split("\n");
    tail = lines.pop();
    for (const line of lines) if (line.trim()) unexpected(`server log: ${line.slice(0, 300)}`);
  };
  const server = await startOurServer(
    dataDir,
    { RATE_LIMIT_MESSAGES: "100000", REACTION_RATE_LIMIT: "1000", READ_RATE_LIMIT: "1000" },
    { nodeArgs: ["--expose-gc"], pin: false, onOutput },
  );
  const { url, child } = server;
  return {
    url,
    async sample() {
      const scrape = async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return (name) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
      };
      // Lag since the previous sample (prom-client resets the monitor on each scrape), read
      // before the GC so its pause is not counted; memory read after it.
      const before = await scrape();
      child.kill("SIGUSR2");
      await sleep(500);
      const after = await scrape();
      return {
        rssMb: round(after("process_resident_memory_bytes") / 1e6),
        heapMb: round(after("nodejs_heap_size_used_bytes") / 1e6),
        heapTotalMb: round(after("nodejs_heap_size_total_bytes") / 1e6),
        externalMb: round(after("nodejs_external_memory_bytes") / 1e6),
        lagP99Ms: round(before("nodejs_eventloop_lag_p99_seconds") * 1000),
        lagMaxMs: round(before("nodejs_eventloop_lag_max_seconds") * 1000),
        sockets: after("chat_sockets"),
      };
    },
    async stop() {
      const code = await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
