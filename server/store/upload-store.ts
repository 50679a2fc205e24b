import type { Readable } from "node:stream";
import type { Attachment } from "../../common/events";

/** The original file, or its thumbnail (images only). */
export type UploadVariant = "file" | "thumb";

export type NewUpload = {
  id: string;
  uploaderId: string;
  name: string;
  type: string;
  size: number;
  width?: number;
  height?: number;
  /** Set when there is a thumbnail. */
  thumbType?: string;
  createdAt: number;
};

/** Local files holding the bytes; `save` takes them over (moves or copies, then removes them). */
export type UploadFiles = { file: string; thumb?: string };

export type UploadRecord = {
  attachment: Attachment;
  uploaderId: string;
  createdAt: number;
  thumbType: string | null;
  /** The message it was sent with; null while unsent. */
  messageId: string | null;
};

export type UploadBytes = { size: number; stream: Readable };

/**
 * Uploaded files: their metadata and bytes. SQLite keeps the bytes under DATA_DIR/uploads,
 * PostgreSQL in the database (so every node serves every file). Sending claims an upload for
 * its message inside the message's own transaction (ChatStore.append with `attachments`).
 */
export interface UploadStore {
  save(upload: NewUpload, files: UploadFiles): Promise<Attachment>;
  get(id: string): Promise<UploadRecord | null>;
  /** The bytes as a stream, or null when there are none (no such upload, or no thumbnail). */
  open(id: string, variant: UploadVariant): Promise<UploadBytes | null>;
  /** Deletes the files of a (deleted) message, metadata and bytes. */
  removeOfMessage(messageId: string): Promise<void>;
  /**
   * Deletes uploads never sent that were made before `unsentBefore`, and any left of deleted
   * messages or of messages gone with their room; resolves to how many went.
   */
  sweep(unsentBefore: number): Promise<number>;
}

/** Thrown by `ChatStore.append` when an attachment is not an unsent upload of the sender. */
export class AttachmentsUnavailable extends Error {
  constructor() {
    super("attachments unavailable");
  }
}
