// Row <-> wire conversions for uploads, shared by the SQL backends.
import type { Attachment } from "../../common/events";
import { formatMessageId } from "./types";
import type { NewUpload, UploadRecord } from "./upload-store";

export const UPLOAD_COLUMNS =
  "id, uploader_id, name, type, size, width, height, thumb_type, created_at, message_seq";

export type UploadRow = {
  id: string;
  uploader_id: string;
  name: string;
  type: string;
  size: number | string;
  width: number | null;
  height: number | null;
  thumb_type: string | null;
  created_at: number | string;
  message_seq: number | string | null;
};

/** Where a file and its thumbnail are served (server/uploads/uploads.routes.ts). */
export const uploadUrl = (id: string) => `/uploads/${id}`;
export const thumbUrl = (id: string) => `/uploads/${id}/thumb`;

export function attachmentOf(row: UploadRow): Attachment {
  const a: Attachment = {
    id: row.id,
    name: row.name,
    type: row.type,
    size: Number(row.size),
    url: uploadUrl(row.id),
  };
  if (row.width !== null && row.height !== null) {
    a.width = row.width;
    a.height = row.height;
  }
  if (row.thumb_type !== null) a.thumbUrl = thumbUrl(row.id);
  return a;
}

export function uploadFromRow(row: UploadRow): UploadRecord {
  return {
    attachment: attachmentOf(row),
    uploaderId: row.uploader_id,
    createdAt: Number(row.created_at),
    thumbType: row.thumb_type,
    messageId: row.message_seq === null ? null : formatMessageId(row.message_seq),
  };
}

/** The values of an INSERT INTO uploads (UPLOAD_COLUMNS order, message_seq null). */
export function uploadValues(u: NewUpload): (string | number | null)[] {
  return [
    u.id,
    u.uploaderId,
    u.name,
    u.type,
    u.size,
    u.width ?? null,
    u.height ?? null,
    u.thumbType ?? null,
    u.createdAt,
    null,
  ];
}

/**
 * The attachments of a message, in the order the sender listed them, from the unsent uploads
 * of that sender found for them; null when any is missing, sent already, someone else's, or
 * listed twice.
 */
export function claimable(ids: string[], rows: UploadRow[], senderId: string): Attachment[] | null {
  if (new Set(ids).size !== ids.length) return null;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: Attachment[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row || row.uploader_id !== senderId || row.message_seq !== null) return null;
    out.push(attachmentOf(row));
  }
  return out;
}
