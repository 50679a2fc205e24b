import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { Attachment } from "../../common/events";
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

/** A file on disk whose row never got written (a crash in between) goes after this long. */
const STRAY_FILE_MS = 60 * 60 * 1000;

/** Uploads with SQLite: metadata in the database, bytes as files named by id in `dir`. */
export class SqliteUploadStore implements UploadStore {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    /** DATA_DIR/uploads */
    readonly dir: string,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.s = {
      insert: db.prepare(
        `INSERT INTO uploads (${UPLOAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = ?`),
      ofMessage: db.prepare(`SELECT id FROM uploads WHERE message_seq = ?`),
      expired: db.prepare(
        `SELECT id FROM uploads WHERE message_seq IS NULL AND created_at < ?
         UNION SELECT u.id FROM uploads u LEFT JOIN messages m ON m.seq = u.message_seq
           WHERE u.message_seq IS NOT NULL AND (m.seq IS NULL OR m.deleted = 1)`,
      ),
      remove: db.prepare(`DELETE FROM uploads WHERE id = ?`),
      exists: db.prepare(`SELECT 1 FROM uploads WHERE id = ?`),
    };
  }

  private file(id: string, variant: UploadVariant): string {
    return path.join(this.dir, variant === "thumb" ? `${id}.thumb` : id);
  }

  async save(upload: NewUpload, files: UploadFiles): Promise<Attachment> {
    try {
      await move(files.file, this.file(upload.id, "file"));
      if (files.thumb) await move(files.thumb, this.file(upload.id, "thumb"));
      const values = uploadValues(upload);
      this.s.insert.run(...values);
      return attachmentOf(this.s.get.get(upload.id) as UploadRow);
    } catch (error) {
      await this.unlink([upload.id]);
      throw error;
    }
  }

  async get(id: string): Promise<UploadRecord | null> {
    const row = this.s.get.get(id) as UploadRow | undefined;
    return row ? uploadFromRow(row) : null;
  }

  async open(id: string, variant: UploadVariant): Promise<UploadBytes | null> {
    const file = this.file(id, variant);
    try {
      const handle = await fs.promises.open(file, "r");
      const { size } = await handle.stat();
      return { size, stream: handle.createReadStream() };
    } catch {
      return null;
    }
  }

  async removeOfMessage(messageId: string): Promise<void> {
    const ids = (this.s.ofMessage.all(Number(messageId)) as { id: string }[]).map((r) => r.id);
    this.removeRows(ids);
    await this.unlink(ids);
  }

  async sweep(unsentBefore: number): Promise<number> {
    const ids = (this.s.expired.all(unsentBefore) as { id: string }[]).map((r) => r.id);
    this.removeRows(ids);
    await this.unlink(ids);
    await this.removeStrayFiles();
    return ids.length;
  }

  private removeRows(ids: string[]): void {
    this.db.transaction(() => ids.forEach((id) => this.s.remove.run(id)))();
  }

  private async unlink(ids: string[]): Promise<void> {
    const files = ids.flatMap((id) => [this.file(id, "file"), this.file(id, "thumb")]);
    await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
  }

  /** Files with no row (a crash between moving a file in and writing its row). */
  private async removeStrayFiles(): Promise<void> {
    const cutoff = Date.now() - STRAY_FILE_MS;
    const names = await fs.promises.readdir(this.dir, { withFileTypes: true });
    for (const entry of names) {
      if (!entry.isFile()) continue;
      const id = entry.name.replace(/\.thumb$/, "");
      if (this.s.exists.get(id)) continue;
      const file = path.join(this.dir, entry.name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < cutoff) await fs.promises.rm(file, { force: true });
    }
  }
}

/** Renames, or copies across file systems. */
async function move(from: string, to: string): Promise<void> {
  try {
    await fs.promises.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
    await fs.promises.copyFile(from, to);
    await fs.promises.rm(from, { force: true });
  }
}
