// Connection state recovery keeps every broadcast so that a client back within the window can
// be sent what it missed. Socket.IO's in-memory adapter keeps them by age only: 2 minutes,
// trimmed once a minute, so up to 3 minutes of everything, however much was sent: 16 MB of
// live heap after 7,000 messages of 1,500 characters, about 136 MB after 2 minutes of them at
// 500 a second (docs/reliability.md). Here the same adapter also keeps at most
// RECOVERY_BUFFER_BYTES: past it the oldest packets go. A client whose offset went is not
// recovered (`recovered: false`) and catches up with `history` `after` its last id, as after
// any longer outage.
// With REDIS_URL the Redis Streams adapter is used instead: its stream lives in Redis, capped
// by entries and age (cluster/stream-trim.ts).
import type { Registry } from "prom-client";
import { Gauge } from "prom-client";
import { SessionAwareAdapter, type BroadcastOptions } from "socket.io-adapter";

/**
 * Counted for each kept packet on top of its encoded bytes: its heap besides the text (the
 * entry, its offset, its broadcast options and their sets), measured at about 750-850 bytes
 * with bench/stalled-reader.mjs --heap.
 */
export const PACKET_OVERHEAD_BYTES = 800;

/** A kept packet (socket.io-adapter's own entry) and where it starts in the byte count. */
type Kept = { id: string; start?: number };
type Encode = (packet: unknown, packetOpts: unknown) => (string | Uint8Array)[];

export type RecoveryBuffer = {
  /** Bytes counted for the packets kept now (encoded size plus the per-packet overhead). */
  readonly bytes: number;
  /** Packets kept now. */
  readonly packetCount: number;
  readonly maxBytes: number;
};

/** Socket.IO's `adapter` option: the in-memory session-aware adapter, bounded to `maxBytes`. */
export function boundedRecoveryAdapter(maxBytes: number): typeof SessionAwareAdapter {
  return class BoundedRecoveryAdapter extends SessionAwareAdapter implements RecoveryBuffer {
    readonly maxBytes = maxBytes;
    /** Bytes ever counted in; a kept packet's `start` is this total before it. */
    private counted = 0;
    /** The encoded size of the broadcast in progress. */
    private encodedBytes = 0;

    constructor(nsp: unknown) {
      super(nsp);
      // The adapter encodes each broadcast once (`_encode`, private in its types): its size
      // is read there rather than encoding every packet a second time.
      const self = this as unknown as { _encode: Encode };
      const encode = self._encode.bind(this);
      self._encode = (packet, packetOpts) => {
        const encoded = encode(packet, packetOpts);
        for (const part of encoded) {
          this.encodedBytes += typeof part === "string" ? Buffer.byteLength(part) : part.byteLength;
        }
        return encoded;
      };
    }

    /** The adapter's own list, oldest first; it trims the front by age once a minute. */
    private get kept(): Kept[] {
      return (this as unknown as { packets: Kept[] }).packets;
    }

    get bytes(): number {
      const first = this.kept[0];
      return first?.start === undefined ? 0 : this.counted - first.start;
    }

    get packetCount(): number {
      return this.kept.length;
    }

    override broadcast(packet: unknown, opts: BroadcastOptions): void {
      const kept = this.kept;
      const last = kept[kept.length - 1];
      this.encodedBytes = 0;
      super.broadcast(packet, opts);
      const added = kept[kept.length - 1];
      if (added === undefined || added === last) return; // not kept: volatile, or with an ack
      added.start = this.counted;
      this.counted += this.encodedBytes + PACKET_OVERHEAD_BYTES;
      // From the front only, so a client whose offset is still kept misses nothing after it.
      // (shift, not splice: V8 trims an array's front in place.)
      while (kept.length > 0 && this.counted - (kept[0].start ?? 0) > maxBytes) kept.shift();
    }
  };
}

/** `chat_recovery_buffer_bytes` and `_packets`, when `adapter()` is a bounded buffer. */
export function registerRecoveryBufferMetrics(registry: Registry, adapter: () => unknown): void {
  const buffer = () => {
    const a = adapter() as Partial<RecoveryBuffer>;
    return typeof a.bytes === "number" && typeof a.packetCount === "number"
      ? (a as RecoveryBuffer)
      : undefined;
  };
  if (!buffer()) return;
  new Gauge({
    name: "chat_recovery_buffer_bytes",
    help: "Bytes kept for connection state recovery on this node (at most RECOVERY_BUFFER_BYTES).",
    registers: [registry],
    collect() {
      this.set(buffer()?.bytes ?? 0);
    },
  });
  new Gauge({
    name: "chat_recovery_buffer_packets",
    help: "Broadcast packets kept for connection state recovery on this node.",
    registers: [registry],
    collect() {
      this.set(buffer()?.packetCount ?? 0);
    },
  });
}
