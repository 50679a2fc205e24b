import fs from "node:fs";
import { Readable } from "node:stream";
import type { Pool } from "pg";
import type { Attachment } from "../../common/events";
import { inTransaction } from "./pg-transaction";
import {
  UPLOAD_COLUMNS,
  attachmentOf,
  uploadFromRow,
  uploadValues,
  type UploadRow,
} from "./upload-rows";
import type {
  NewUpload,
  UploadBytes,
  UploadFiles,
  UploadRecord,
  UploadStore,
  UploadVariant,
} from "./upload-store";

/** Bytes per row of upload_chunks: a file is never read whole into memory, in or out. */
const CHUNK_BYTES = 256 * 1024;
const VARIANT: Record<UploadVariant, number> = { file: 0, thumb: 1 };
const VACUUM_AFTER_MS = 2000;

/** Uploads with PostgreSQL: metadata and bytes in the database, so every node serves every file. */
export class PgUploadStore implements UploadStore {
  private vacuum: NodeJS.Timeout | null = null;

  constructor(private readonly pool: Pool) {}

  async save(upload: NewUpload, files: UploadFiles): Promise<Attachment> {
    try {
      const row = await inTransaction(this.pool, async (client) => {
        const { rows } = await client.query<UploadRow>(
          `INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           RETURNING ${UPLOAD_COLUMNS}`,
          uploadValues(upload),
        );
        const parts: [UploadVariant, string | undefined][] = [
          ["file", files.file],
          ["thumb", files.thumb],
        ];
        for (const [variant, file] of parts) {
          if (!file) continue;
          let n = 0;
          for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
            await client.query(
              "INSERT INTO upload_chunks (upload_id, variant, n, data) VALUES ($1, $2, $3, $4)",
              [upload.id, VARIANT[variant], n++, chunk],
            );
          }
        }
        return rows[0];
      });
      return attachmentOf(row);
    } finally {
      await Promise.all(
        [files.file, files.thumb].map((f) => f && fs.promises.rm(f, { force: true })),
      );
    }
  }

  async get(id: string): Promise<UploadRecord | null> {
    const { rows } = await this.pool.query<UploadRow>(
      `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = $1`,
      [id],
    );
    return rows[0] ? uploadFromRow(rows[0]) : null;
  }

  async open(id: string, variant: UploadVariant): Promise<UploadBytes | null> {
    const { rows } = await this.pool.query<{ size: string | null; chunks: string }>(
      `SELECT sum(length(data)) AS size, count(*) AS chunks FROM upload_chunks
       WHERE upload_id = $1 AND variant = $2`,
      [id, VARIANT[variant]],
    );
    const chunks = Number(rows[0]?.chunks ?? 0);
    if (chunks === 0) return null;
    const pool = this.pool;
    async function* read() {
      for (let n = 0; n < chunks; n++) {
        const { rows: found } = await pool.query<{ data: Buffer }>(
          "SELECT data FROM upload_chunks WHERE upload_id = $1 AND variant = $2 AND n = $3",
          [id, VARIANT[variant], n],
        );
        // Deleted while being read: the response ends short, and the client sees it failed.
        if (!found[0]) throw new Error("upload removed while read");
        yield found[0].data;
      }
    }
    return { size: Number(rows[0].size), stream: Readable.from(read()) };
  }

  async removeOfMessage(messageId: string): Promise<void> {
    const { rowCount } = await this.pool.query("DELETE FROM uploads WHERE message_seq = $1", [
      messageId,
    ]);
    if (rowCount) this.vacuumSoon();
  }

  async sweep(unsentBefore: number): Promise<number> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM uploads
       WHERE (message_seq IS NULL AND created_at < $1)
          OR (message_seq IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM messages m WHERE m.seq = uploads.message_seq AND NOT m.deleted))`,
      [unsentBefore],
    );
    if (rowCount) this.vacuumSoon();
    return rowCount ?? 0;
  }

  /** Deleted rows keep their bytes until VACUUM: run one soon. */
  private vacuumSoon(): void {
    if (this.vacuum) return;
    this.vacuum = setTimeout(() => {
      this.vacuum = null;
      this.pool.query("VACUUM upload_chunks").catch(() => {});
    }, VACUUM_AFTER_MS);
    this.vacuum.unref();
  }
}
