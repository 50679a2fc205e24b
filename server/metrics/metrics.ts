// Prometheus metrics (prom-client): the chat's own, in one registry per app, plus the
// process's (memory, event-loop lag, GC), collected once per process.
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type RegistryContentType,
} from "prom-client";
import type { AppendResult, ChatStore, HistoryQuery, NewMessage } from "../store/types";

let processRegistry: Registry | undefined;

/** Node's default metrics (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, …). */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

export type MetricSources = {
  /** Sockets connected to this node. */
  sockets: () => number;
  /** Users online on every node, as presence announces them. */
  users: () => number;
};

export class ChatMetrics {
  /** This app's metrics. Features register theirs here (e.g. the push queue's `chat_push_queue_length` gauge). */
  readonly registry = new Registry();
  private readonly messages: Counter<"result">;
  private readonly acks: Histogram<"event" | "result">;
  private readonly storeOps: Histogram<"op">;
  private readonly slowConsumers: Counter;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    new Gauge({
      name: "chat_sockets",
      help: "Socket.IO connections on this node.",
      registers,
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: "chat_users_online",
      help: "Users with at least one connection, on every node.",
      registers,
      collect() {
        this.set(sources.users());
      },
    });
    this.messages = new Counter({
      name: "chat_messages_total",
      help: 'textmsg answers: result="ok" (accepted and stored) or the refusal code.',
      labelNames: ["result"],
      registers,
    });
    this.acks = new Histogram({
      name: "chat_ack_duration_seconds",
      help: "From an event's arrival to its acknowledgement, by event and result.",
      labelNames: ["event", "result"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.storeOps = new Histogram({
      name: "chat_store_duration_seconds",
      help: "Message store calls (append includes waiting for its group commit).",
      labelNames: ["op"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.slowConsumers = new Counter({
      name: "chat_slow_consumers_disconnected_total",
      help: "Sockets dropped because their unsent output passed SOCKET_BUFFER_LIMIT_BYTES.",
      registers,
    });
  }

  /** An acknowledged event: `result` is "ok" or the error code sent. */
  ack(event: string, result: string, seconds: number): void {
    this.acks.observe({ event, result }, seconds);
    if (event === "textmsg") this.messages.inc({ result });
  }

  slowConsumerDropped(): void {
    this.slowConsumers.inc();
  }

  /** The message store with each call timed. */
  timed(store: ChatStore): ChatStore {
    const time = async <T>(op: string, work: () => Promise<T>): Promise<T> => {
      const end = this.storeOps.startTimer({ op });
      try {
        return await work();
      } finally {
        end();
      }
    };
    return {
      init: () => store.init(),
      close: () => store.close(),
      append: (m: NewMessage, since: number): Promise<AppendResult> =>
        time("append", () => store.append(m, since)),
      history: (q: HistoryQuery) => time("history", () => store.history(q)),
      newestId: (c: string) => time("newest_id", () => store.newestId(c)),
    };
  }

  /** The text exposition of this app's and the process's metrics. */
  async render(): Promise<{ contentType: RegistryContentType; body: string }> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}
