// Reads config, builds the parts, listens, and drains on SIGTERM/SIGINT.
import { createApp } from "./app";
import { createClusterParts } from "./cluster/cluster";
import { RedisUnreachable } from "./cluster/redis-client";
import { ConfigError, loadConfig } from "./config/config";
import { createLogger } from "./logger";
import { createStores } from "./store/create-store";

async function main(): Promise<void> {
  const started = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`config error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  // DATABASE_URL: PostgreSQL; REDIS_URL: adapter, presence and rate limit shared through Redis.
  const stores = await createStores(config, log);
  const cluster = config.redisUrl
    ? await createClusterParts({ ...config, redisUrl: config.redisUrl }, log)
    : undefined;
  const chat = createApp({
    config,
    ...stores,
    log,
    adapter: cluster?.adapter,
    presence: cluster?.presence,
    limiters: cluster?.limiters,
  });

  chat.httpServer.on("error", (err) => {
    log.fatal({ err }, "server error");
    process.exit(1);
  });
  chat.httpServer.listen(config.port, config.host, () => {
    chat.markReady();
    const address = chat.httpServer.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    log.info(
      { port, host: config.host, startupMs: Math.round(performance.now() - started) },
      "listening",
    );
    if (config.adminCodeGenerated) {
      // The generated admin code's claim link, once per start (whoever reads the log is trusted).
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      log.info({ url: `http://${host}:${port}/admin/${config.adminCode}` }, "admin claim link");
    }
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    chat
      .shutdown()
      .then(() => cluster?.close())
      .then(
        () => {
          log.info("stopped");
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  // Soak runs only (node --expose-gc): SIGUSR2 runs a full GC, so RSS is read after one.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    process.on("SIGUSR2", () => {
      gc();
      log.info({ rss: process.memoryUsage().rss }, "gc");
    });
  }
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof RedisUnreachable) {
    process.stderr.write(`fatal: ${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
