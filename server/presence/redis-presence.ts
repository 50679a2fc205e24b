import { EventEmitter } from "node:events";
import type { Logger } from "pino";
import type { OnlinePayload, User } from "../../common/events";
import type { RedisClient } from "../cluster/redis-client";
import type { PresenceChange, PresenceTracker } from "./presence";
import {
  ADD_USER,
  HEARTBEAT,
  REMOVE_USER,
  SWEEP,
  SYNC_NODE,
  UPDATE_USER,
} from "./redis-presence-scripts";

export type RedisPresenceOptions = {
  nodeId: string;
  log: Logger;
  /** A node not heard from for this long is dead and its users leave. */
  ttlMs?: number;
  heartbeatMs?: number;
  prefix?: string;
};

/**
 * Cluster-wide presence: each node registers its users in Redis under a heartbeat with expiry;
 * surviving nodes sweep out the users of a node that stopped (even by kill -9). Joins and
 * leaves are decided atomically in Redis and published, so every node emits "change".
 */
export class RedisPresence
  extends EventEmitter<{ change: [PresenceChange] }>
  implements PresenceTracker
{
  private readonly local = new Map<string, { user: User; sockets: number }>();
  private readonly prefix: string;
  private readonly channel: string;
  private readonly ttlMs: number;
  private readonly heartbeatMs: number;
  private subscriber: RedisClient | null = null;
  private timer: NodeJS.Timeout | null = null;
  private beating = false;
  /** Set when Redis may have missed a local change; the next heartbeat resynchronises. */
  private dirty = true;

  constructor(
    private readonly client: RedisClient,
    private readonly options: RedisPresenceOptions,
  ) {
    super();
    this.prefix = options.prefix ?? "{chat-presence}:";
    this.channel = `${this.prefix}changes`;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.heartbeatMs = options.heartbeatMs ?? 3_000;
  }

  /** Subscribes to changes, clears what an earlier run under the same node id left behind. */
  async start(): Promise<void> {
    this.subscriber = this.client.duplicate();
    this.subscriber.on("error", () => {}); // the main client reports outages
    await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel, (raw) => this.onChange(raw));
    this.client.on("ready", this.onReconnect);
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  private readonly onReconnect = () => {
    this.dirty = true;
    void this.beat();
  };

  private onChange(raw: string): void {
    try {
      const { joined, left, count } = JSON.parse(raw) as PresenceChange;
      if (Array.isArray(joined) && Array.isArray(left) && typeof count === "number") {
        this.emit("change", { joined, left, count });
      }
    } catch (err) {
      this.options.log.warn({ err }, "bad presence message");
    }
  }

  private run(script: string, ...args: string[]): Promise<number> {
    const argv = [this.prefix, this.channel, this.options.nodeId, ...args];
    return this.client.eval(script, { keys: [], arguments: argv }) as Promise<number>;
  }

  /** Refreshes this node's deadline, repairs its entry if needed, and sweeps dead nodes. */
  private async beat(): Promise<void> {
    if (this.beating || !this.client.isReady) return;
    this.beating = true;
    try {
      const unknown = await this.run(HEARTBEAT, String(this.ttlMs));
      if (unknown === 1 || this.dirty) {
        this.dirty = false;
        const pairs = [...this.local.values()].flatMap((e) => [e.user.id, JSON.stringify(e.user)]);
        await this.run(SYNC_NODE, String(this.ttlMs), ...pairs);
      }
      await this.client.eval(SWEEP, { keys: [], arguments: [this.prefix, this.channel] });
    } catch (err) {
      this.dirty = true;
      this.options.log.warn({ err }, "presence heartbeat failed");
    } finally {
      this.beating = false;
    }
  }

  async connect(user: User): Promise<void> {
    const entry = this.local.get(user.id);
    if (entry) {
      entry.sockets++;
      return;
    }
    this.local.set(user.id, { user, sockets: 1 });
    const json = JSON.stringify(user);
    const unknown = await this.run(ADD_USER, String(this.ttlMs), user.id, json).catch((err) => {
      this.dirty = true;
      throw err;
    });
    if (unknown === 1) this.onReconnect();
  }

  async disconnect(user: User): Promise<void> {
    const entry = this.local.get(user.id);
    if (!entry || --entry.sockets > 0) return;
    this.local.delete(user.id);
    await this.run(REMOVE_USER, user.id).catch((err) => {
      this.dirty = true;
      throw err;
    });
  }

  async update(user: User): Promise<void> {
    const entry = this.local.get(user.id);
    if (entry) entry.user = user;
    await this.run(UPDATE_USER, user.id, JSON.stringify(user));
  }

  async snapshot(): Promise<OnlinePayload> {
    const values = await this.client.hVals(`${this.prefix}users`);
    const users = values.map((v) => JSON.parse(v) as User);
    return { count: users.length, users };
  }

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const found = await this.client.hmGet(`${this.prefix}users`, userIds);
    return new Set(userIds.filter((_, i) => found[i] != null));
  }

  localUserIds(): string[] {
    return [...this.local.keys()];
  }

  /** Leaves the cluster at once instead of waiting for the sweep. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.client.off("ready", this.onReconnect);
    this.local.clear();
    const leave = this.run(SWEEP).catch(() => {});
    await Promise.race([leave, new Promise((r) => setTimeout(r, 1000).unref())]);
    this.subscriber?.destroy();
    this.subscriber = null;
  }
}
