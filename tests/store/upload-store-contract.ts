// One behaviour for every UploadStore backend, and for claiming uploads in ChatStore.append.
import fs from "node:fs";
import path from "node:path";
import type { User } from "../../common/events";
import type { Stores } from "../../server/store/create-store";
import { GROUP_CONVERSATION } from "../../server/store/types";
import { AttachmentsUnavailable, type NewUpload } from "../../server/store/upload-store";
import { tempDir } from "../support/server";

const alice: User = { id: "u-alice", name: "Alice", avatar: "fox" };
const bob: User = { id: "u-bob", name: "Bob", avatar: "owl" };

let counter = 0;
const newId = () => (++counter).toString(16).padStart(32, "0");

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

export function describeUploadStoreContract(name: string, makeStores: () => Promise<Stores>): void {
  describe(`UploadStore contract: ${name}`, () => {
    let s: Stores;
    const dir = tempDir("chat-upload-contract-");
    beforeEach(async () => {
      s = await makeStores();
    });
    afterEach(() => s.store.close());

    /** Saves an upload of `content` (and a thumbnail when `thumb` is given). */
    async function save(content: string, extra: Partial<NewUpload> = {}, thumb?: string) {
      const id = newId();
      const file = path.join(dir, `${id}.in`);
      fs.writeFileSync(file, content);
      const files: { file: string; thumb?: string } = { file };
      if (thumb !== undefined) {
        files.thumb = path.join(dir, `${id}.thumb.in`);
        fs.writeFileSync(files.thumb, thumb);
      }
      const upload: NewUpload = {
        id,
        uploaderId: alice.id,
        name: "a.txt",
        type: "text/plain",
        size: Buffer.byteLength(content),
        createdAt: Date.now(),
        ...extra,
        ...(thumb !== undefined && { thumbType: "image/webp" }),
      };
      const attachment = await s.uploads.save(upload, files);
      // The store took the files over.
      expect(fs.existsSync(file)).toBe(false);
      return attachment;
    }
    const send = (from: User, attachments: string[], cid?: string) =>
      s.store.append(
        {
          from,
          conversation: GROUP_CONVERSATION,
          content: "files",
          attachments,
          cid,
          ts: Date.now(),
        },
        0,
      );

    it("keeps metadata and bytes, file and thumbnail, streamed back whole", async () => {
      const big = "x".repeat(700_000); // several chunks in PostgreSQL
      const a = await save(
        big,
        { name: "big.png", type: "image/png", width: 3, height: 2 },
        "tiny",
      );
      expect(a).toEqual({
        id: a.id,
        name: "big.png",
        type: "image/png",
        size: 700_000,
        url: `/uploads/${a.id}`,
        width: 3,
        height: 2,
        thumbUrl: `/uploads/${a.id}/thumb`,
      });
      const file = await s.uploads.open(a.id, "file");
      expect(file?.size).toBe(700_000);
      expect(await text(file!.stream)).toBe(big);
      const thumb = await s.uploads.open(a.id, "thumb");
      expect(await text(thumb!.stream)).toBe("tiny");
      expect(await s.uploads.get(a.id)).toMatchObject({
        attachment: a,
        uploaderId: alice.id,
        messageId: null,
        thumbType: "image/webp",
      });
      const plain = await save("plain");
      expect(plain.thumbUrl).toBeUndefined();
      expect(await s.uploads.open(plain.id, "thumb")).toBeNull();
      expect(await s.uploads.get(newId())).toBeNull();
      expect(await s.uploads.open(newId(), "file")).toBeNull();
    });

    it("append claims the sender's unsent uploads once, in the order listed", async () => {
      const [one, two] = [await save("1"), await save("2")];
      const { message } = await send(alice, [two.id, one.id], "c1");
      expect(message.attachments).toEqual([two, one]);
      expect((await s.uploads.get(one.id))?.messageId).toBe(message.id);
      const [stored] = await s.store.history({ conversation: GROUP_CONVERSATION, limit: 1 });
      expect(stored.attachments).toEqual([two, one]);
      // A resend with the same cid is the first message, not a refusal.
      expect(await send(alice, [two.id, one.id], "c1")).toEqual({ message, duplicate: true });
      await expect(send(alice, [one.id])).rejects.toBeInstanceOf(AttachmentsUnavailable);
      const bobs = await save("b", { uploaderId: bob.id });
      await expect(send(alice, [bobs.id])).rejects.toBeInstanceOf(AttachmentsUnavailable);
      await expect(send(alice, [newId()])).rejects.toBeInstanceOf(AttachmentsUnavailable);
      const three = await save("3");
      await expect(send(alice, [three.id, three.id])).rejects.toBeInstanceOf(
        AttachmentsUnavailable,
      );
      // Nothing of a refused message was written.
      expect(await s.store.history({ conversation: GROUP_CONVERSATION, limit: 10 })).toHaveLength(
        1,
      );
    });

    it("two messages racing for one upload: exactly one gets it, the other is refused alone", async () => {
      const contested = await save("c");
      const results = await Promise.allSettled([
        send(alice, [contested.id]),
        send(alice, [contested.id]),
        s.store.append(
          { from: bob, conversation: GROUP_CONVERSATION, content: "bystander", ts: 1 },
          0,
        ),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "fulfilled", "rejected"]);
      expect(results[2].status).toBe("fulfilled");
    });

    it("removes a message's files, and sweeps unsent and deleted-message leftovers", async () => {
      const sent = await save("sent", {}, "thumb");
      const { message } = await send(alice, [sent.id]);
      await s.uploads.removeOfMessage(message.id);
      expect(await s.uploads.get(sent.id)).toBeNull();
      expect(await s.uploads.open(sent.id, "file")).toBeNull();
      expect(await s.uploads.open(sent.id, "thumb")).toBeNull();

      const old = await save("old", { createdAt: 1000 });
      const fresh = await save("fresh", { createdAt: 5000 });
      const kept = await save("kept", { createdAt: 1000 });
      const { message: keptMessage } = await send(alice, [kept.id]);
      const gone = await save("of a deleted message", { createdAt: 1000 });
      const { message: deleted } = await send(alice, [gone.id]);
      await s.actions.erase(deleted.id);
      expect(await s.uploads.sweep(2000)).toBe(2);
      expect(await s.uploads.get(old.id)).toBeNull();
      expect(await s.uploads.get(gone.id)).toBeNull();
      expect(await s.uploads.open(gone.id, "file")).toBeNull();
      expect((await s.uploads.get(fresh.id))?.messageId).toBeNull();
      expect((await s.uploads.get(kept.id))?.messageId).toBe(keptMessage.id);
      expect((await s.actions.get(deleted.id))?.message.attachments).toBeUndefined();
    });

    it("sweeps the files of a deleted room's messages", async () => {
      const room = {
        id: `room-${newId().slice(-8)}`,
        name: "Gone",
        nameKey: "gone",
        kind: "closed" as const,
        topic: "",
        createdBy: alice,
        createdAt: 1,
      };
      await s.rooms.create(room, [alice.id]);
      const inRoom = await save("in the room");
      await s.store.append(
        { from: alice, conversation: `r:${room.id}`, content: "", attachments: [inRoom.id], ts: 1 },
        0,
      );
      expect(await s.uploads.sweep(0)).toBe(0);
      await s.rooms.delete(room.id);
      expect(await s.uploads.sweep(0)).toBe(1);
      expect(await s.uploads.get(inRoom.id)).toBeNull();
      expect(await s.uploads.open(inRoom.id, "file")).toBeNull();
    });
  });
}
