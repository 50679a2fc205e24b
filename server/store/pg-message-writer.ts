import type { Pool, PoolClient } from "pg";
import type { Attachment, Message } from "../../common/events";
import { inTransaction } from "./pg-transaction";
import {
  MESSAGE_COLUMNS,
  attachmentsColumn,
  mentionsColumn,
  messageFromRow,
  messageOf,
  type MessageRow,
} from "./rows";
import type { AppendResult, NewMessage } from "./types";
import { UPLOAD_COLUMNS, claimable, type UploadRow } from "./upload-rows";
import { AttachmentsUnavailable } from "./upload-store";

type Pending = {
  message: NewMessage;
  cidSince: number;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
};

/** What became of one offered message. */
type Outcome = AppendResult | AttachmentsUnavailable;
/** New, a stored message it repeats, an earlier item of the batch it repeats, or refused. */
type Source = Message | number | "new" | "unavailable";

/**
 * Every statement of a batch must be answered in this time; past it the batch fails (`internal`)
 * and its connection is discarded, so a database that stopped answering never wedges the writer.
 */
const WRITE_TIMEOUT_MS = 10_000;

/** Any fixed number: every node's appends take turns on it. */
const APPEND_LOCK = 4_204_002;

const FIRST_BY_CID = `
  SELECT q.i, m.* FROM unnest($1::text[], $2::text[], $3::bigint[]) WITH ORDINALITY
    AS q(from_id, cid, since, i)
  CROSS JOIN LATERAL (
    SELECT ${MESSAGE_COLUMNS}
    FROM messages
    WHERE messages.from_id = q.from_id AND messages.cid = q.cid AND messages.ts >= q.since
    ORDER BY seq LIMIT 1
  ) m`;

const INSERT_BATCH = `
  INSERT INTO messages
    (conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts, cid,
     mentions, reply_to, attachments, n, an)
  SELECT r.conversation, r.from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts,
         cid, mentions, reply_to, attachments,
         COALESCE(c.n, 0) + ROW_NUMBER() OVER (PARTITION BY r.conversation ORDER BY ord),
         COALESCE(a.an, 0) + ROW_NUMBER() OVER (PARTITION BY r.conversation, r.from_id ORDER BY ord)
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
              $7::text[], $8::text[], $9::bigint[], $10::text[], $11::text[], $12::bigint[],
              $13::text[])
    WITH ORDINALITY
    AS r(conversation, from_id, from_name, from_avatar, to_id, to_name, to_avatar, content, ts,
         cid, mentions, reply_to, attachments, ord)
  -- Each row's place in its conversation and among its author's messages there (unread
  -- counts): one past the newest so far, counting the rows before it in this batch.
  LEFT JOIN LATERAL (
    SELECT n FROM messages m WHERE m.conversation = r.conversation ORDER BY seq DESC LIMIT 1
  ) c ON true
  LEFT JOIN LATERAL (
    SELECT an FROM messages m
    WHERE m.conversation = r.conversation AND m.from_id = r.from_id ORDER BY seq DESC LIMIT 1
  ) a ON true
  ORDER BY ord
  RETURNING seq`;

const LOCK_UPLOADS = `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = ANY($1::text[]) FOR UPDATE`;

const CLAIM_UPLOADS = `
  UPDATE uploads SET message_seq = c.seq
  FROM unnest($1::text[], $2::bigint[]) AS c(id, seq) WHERE uploads.id = c.id`;

const INSERT_MENTIONS = `
  INSERT INTO message_mentions (user_id, conversation, seq)
  SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`;

const INSERT_PEERS = `
  INSERT INTO direct_peers (user_id, peer_id, conversation)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`;

/**
 * Group commit for PostgreSQL: messages offered while a batch is being written go into the next
 * batch, one transaction each. A transaction-scoped advisory lock serialises batches across all
 * nodes, so ids are assigned in commit order (a reader paging with `after` never skips a row
 * committed later with a smaller id) and the `cid` check sees every earlier commit.
 */
export class PgMessageWriter {
  private queue: Pending[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly pool: Pool) {}

  append(message: NewMessage, cidSince: number): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ message, cidSince, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once everything offered so far is written or failed. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const results = await this.write(batch);
        batch.forEach((p, i) => {
          const r = results[i];
          if (r instanceof AttachmentsUnavailable) p.reject(r);
          else p.resolve(r);
        });
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.running = null;
  }

  private write(batch: Pending[]): Promise<Outcome[]> {
    return inTransaction(
      this.pool,
      async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [APPEND_LOCK]);
        return this.insert(client, batch);
      },
      WRITE_TIMEOUT_MS,
    );
  }

  private async insert(client: PoolClient, batch: Pending[]): Promise<Outcome[]> {
    const stored = await this.firstByCid(client, batch);
    // Each item is new, or repeats a stored message, or repeats an earlier item of the batch.
    const firstInBatch = new Map<string, number>();
    const source = batch.map(({ message: m }, i): Source => {
      const prior = stored.get(i);
      if (prior) return prior;
      if (m.cid === undefined) return "new";
      const key = `${m.from.id}\u0000${m.cid}`;
      const earlier = firstInBatch.get(key);
      if (earlier !== undefined) return earlier;
      firstInBatch.set(key, i);
      return "new";
    });
    const files = await this.claimable(client, batch, source);
    const fresh = batch.filter((_, i) => source[i] === "new");
    const freshFiles = files.filter((_, i) => source[i] === "new");
    const seqs = fresh.length ? await this.insertRows(client, fresh, freshFiles) : [];
    await this.claim(client, fresh, seqs);
    let k = 0;
    const results: Outcome[] = [];
    source.forEach((s, i) => {
      if (s === "new") {
        const message = messageOf(batch[i].message, seqs[k++], files[i]);
        results.push({ message, duplicate: false });
      } else if (s === "unavailable") results.push(new AttachmentsUnavailable());
      else if (typeof s === "number") {
        const first = results[s];
        results.push(
          first instanceof AttachmentsUnavailable ? first : { ...first, duplicate: true },
        );
      } else results.push({ message: s, duplicate: true });
    });
    return results;
  }

  /**
   * Locks the uploads the new items attach and checks each is an unsent upload of its
   * sender, attached once in the batch; an item that fails becomes "unavailable".
   */
  private async claimable(
    client: PoolClient,
    batch: Pending[],
    source: Source[],
  ): Promise<(Attachment[] | null)[]> {
    const ids = batch.flatMap((p, i) => (source[i] === "new" ? (p.message.attachments ?? []) : []));
    if (ids.length === 0) return batch.map(() => null);
    const { rows } = await client.query<UploadRow>(LOCK_UPLOADS, [ids]);
    const taken = new Set<string>();
    return batch.map(({ message: m }, i) => {
      if (source[i] !== "new" || !m.attachments?.length) return null;
      const found = claimable(m.attachments, rows, m.from.id);
      if (!found || m.attachments.some((id) => taken.has(id))) {
        source[i] = "unavailable";
        return null;
      }
      for (const id of m.attachments) taken.add(id);
      return found;
    });
  }

  /** Marks the claimed uploads as sent with their messages. */
  private async claim(client: PoolClient, fresh: Pending[], seqs: string[]): Promise<void> {
    const ids: string[] = [];
    const at: string[] = [];
    fresh.forEach((p, i) => {
      for (const id of p.message.attachments ?? []) {
        ids.push(id);
        at.push(seqs[i]);
      }
    });
    if (ids.length) await client.query(CLAIM_UPLOADS, [ids, at]);
  }

  private async firstByCid(client: PoolClient, batch: Pending[]): Promise<Map<number, Message>> {
    const withCid = batch.map((p, i) => ({ p, i })).filter(({ p }) => p.message.cid !== undefined);
    if (withCid.length === 0) return new Map();
    const { rows } = await client.query<MessageRow & { i: string }>(FIRST_BY_CID, [
      withCid.map(({ p }) => p.message.from.id),
      withCid.map(({ p }) => p.message.cid),
      withCid.map(({ p }) => p.cidSince),
    ]);
    return new Map(rows.map((r) => [withCid[Number(r.i) - 1].i, messageFromRow(r)]));
  }

  private async insertRows(
    client: PoolClient,
    rows: Pending[],
    files: (Attachment[] | null)[],
  ): Promise<string[]> {
    const col = (f: (m: NewMessage) => string | number | null) => rows.map((p) => f(p.message));
    const result = await client.query<{ seq: string }>(INSERT_BATCH, [
      col((m) => m.conversation),
      col((m) => m.from.id),
      col((m) => m.from.name),
      col((m) => m.from.avatar),
      col((m) => m.to?.id ?? null),
      col((m) => m.to?.name ?? null),
      col((m) => m.to?.avatar ?? null),
      col((m) => m.content),
      col((m) => m.ts),
      col((m) => m.cid ?? null),
      col(mentionsColumn),
      col((m) => m.replyTo?.id ?? null),
      files.map(attachmentsColumn),
    ]);
    // Rows are inserted in `ord` order under the lock, so ascending ids match that order.
    const seqs = result.rows
      .map((r) => BigInt(r.seq))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map(String);
    await this.insertSideRows(client, rows, seqs);
    return seqs;
  }

  /** Who each message mentions, and both sides' lists of private conversations. */
  private async insertSideRows(client: PoolClient, rows: Pending[], seqs: string[]) {
    const mentions: [string[], string[], string[]] = [[], [], []];
    const peers: [string[], string[], string[]] = [[], [], []];
    rows.forEach(({ message: m }, i) => {
      for (const u of m.mentions ?? []) {
        if (u.id === m.from.id) continue; // a self-mention is listed, not counted
        mentions[0].push(u.id);
        mentions[1].push(m.conversation);
        mentions[2].push(seqs[i]);
      }
      if (m.to) {
        peers[0].push(m.from.id, m.to.id);
        peers[1].push(m.to.id, m.from.id);
        peers[2].push(m.conversation, m.conversation);
      }
    });
    if (mentions[0].length) await client.query(INSERT_MENTIONS, mentions);
    if (peers[0].length) await client.query(INSERT_PEERS, peers);
  }
}
