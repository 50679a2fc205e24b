// Files with PostgreSQL: every node serves every file, to exactly the conversation's readers.
import { sendOk } from "../support/clients";
import { download, png, uploadOk } from "../support/uploads";
import { useCluster } from "./harness";

const { join, url } = useCluster(2);

describe("files on two nodes", () => {
  it("uploaded on node A, downloaded on node B; an outsider on B gets 404; deleted on B, gone on A", async () => {
    const [a, b, outsider] = [await join(0), await join(1), await join(1)];
    const image = await png(640, 480);
    const upload = await uploadOk(url(0), a.token, image, "cat.png", "image/png");
    await sendOk(a.socket, { content: "cat", to: b.user.name, attachments: [upload.id] });

    const file = await download(url(1), upload.url, b.token);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Number(file.headers.get("content-length"))).toBe(upload.size);
    expect((await file.arrayBuffer()).byteLength).toBe(upload.size);
    expect((await download(url(1), upload.thumbUrl!, b.token)).status).toBe(200);
    expect((await download(url(1), upload.url, outsider.token)).status).toBe(404);

    const second = await uploadOk(url(1), b.token, "notes", "notes.txt");
    const reply = await sendOk(b.socket, {
      content: "",
      to: a.user.name,
      attachments: [second.id],
    });
    expect((await download(url(0), second.url, a.token)).status).toBe(200);
    await new Promise<void>((resolve, reject) =>
      b.socket.emit("message:delete", { id: reply.id }, (ack) =>
        ack.ok ? resolve() : reject(new Error(ack.error.code)),
      ),
    );
    expect((await download(url(0), second.url, a.token)).status).toBe(404);
  });
});
