// Several real nodes (dist/ server processes) sharing one redis-server and one PostgreSQL.
import crypto from "node:crypto";
import fs from "node:fs";
import type { Message } from "../../common/events";
import {
  historyOf,
  joinChat,
  send,
  sleep,
  type Client,
  type ClientSocket,
} from "../support/clients";
import { spawnServer, tempDir, type ServerProcess } from "../support/server";
import {
  startPostgres,
  startRedis,
  type PostgresService,
  type RedisService,
} from "../support/services";

export type Cluster = {
  redis: RedisService;
  pg: PostgresService;
  nodes: ServerProcess[];
  /** Environment shared by every node. */
  env: Record<string, string>;
  startNode(extra?: Record<string, string>): Promise<ServerProcess>;
  stop(): Promise<void>;
};

export async function startCluster(
  nodeCount = 2,
  extra: Record<string, string> = {},
): Promise<Cluster> {
  const [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
  const env = {
    SESSION_SECRET: crypto.randomBytes(24).toString("base64url"),
    REDIS_URL: redis.url,
    DATABASE_URL: await pg.createDatabase(),
    // The chatter in these tests is not about the rate limit: lift it out of the way.
    RATE_LIMIT_MESSAGES: "1000000",
    // Every test client logs in from 127.0.0.1; the login limit has its own tests.
    LOGIN_RATE_LIMIT: "0",
    ...extra,
  };
  let started = 0;
  const dataDirs: string[] = [];
  const cluster: Cluster = {
    redis,
    pg,
    nodes: [],
    env,
    async startNode(more = {}) {
      const dataDir = tempDir("chat-node-");
      dataDirs.push(dataDir);
      const node = await spawnServer({
        ...env,
        DATA_DIR: dataDir,
        NODE_ID: `node-${++started}`,
        ...more,
      });
      cluster.nodes.push(node);
      return node;
    },
    async stop() {
      await Promise.all(cluster.nodes.map((n) => n.kill()));
      await Promise.all([cluster.redis.dispose(), pg.dispose()]);
      for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  // One after the other: the first runs the migrations, the others find them done.
  for (let i = 0; i < nodeCount; i++) await cluster.startNode();
  return cluster;
}

/** A whole conversation, oldest first, paging with `after`. */
export async function fullHistory(socket: ClientSocket, peer?: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const after = all.length ? all[all.length - 1].id : "0";
    const page = await historyOf(socket, { limit: 100, with: peer, after });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

/** `promise`'s value, or `fallback` after `ms`; leaves no timer behind. */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<F>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends group messages from `client` until stopped (or disconnected), pausing `pauseMs`
 * between them; records every message whose ack was ok.
 */
export function chatter(
  client: Client,
  acked: Message[],
  pauseMs = 20,
  ackTimeoutMs = 2000,
): { stop: () => Promise<void> } {
  let running = true;
  const loop = (async () => {
    for (let i = 0; running && client.socket.connected; i++) {
      const content = `${client.user.name} ${i}`;
      const ack = await within(send(client.socket, { content }), ackTimeoutMs, null);
      if (ack?.ok) acked.push(ack.message);
      await sleep(pauseMs);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * A cluster for one test file: started before its tests, stopped after them, with a `join`
 * that logs a user in and connects it to node `i` (closed at the end).
 */
export function useCluster(nodeCount = 2) {
  let cluster: Cluster | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    cluster = await startCluster(nodeCount);
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.socket.close();
    await cluster?.stop();
  });
  const url = (i: number) => cluster!.nodes[i].url;
  return {
    url,
    async join(node: number): Promise<Client> {
      const client = await joinChat(url(node));
      clients.push(client);
      return client;
    },
  };
}
