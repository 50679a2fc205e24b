// Files over real HTTP and sockets: upload, send, download; who may fetch them; what is
// stripped from images; what is refused; what is left behind (nothing).
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import sharp from "sharp";
import type { Attachment, Message, Room } from "../../common/events";
import {
  callOk,
  errorCode,
  historyOf,
  joinChat,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { download, jpegWithGps, png, uploadFile, uploadOk } from "../support/uploads";

const MAX = 1024 * 1024;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000", UPLOAD_MAX_BYTES: String(MAX) });
});
afterAll(() => server.close());

const clients: Client[] = [];
async function join(): Promise<Client> {
  const c = await joinChat(server.url);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.close();
});

const uploadsDir = () => path.join(server.dataDir, "uploads");
/** Every file under DATA_DIR/uploads (the incoming temp dir included). */
function filesOnDisk(): string[] {
  return fs
    .readdirSync(uploadsDir(), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
const fileOf = (a: Attachment) => path.join(uploadsDir(), a.id);

async function expectNotFound(url: string, token?: string): Promise<void> {
  const res = await download(server.url, url, token);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: "not_found", message: "Not found." } });
}

describe("upload, send, download", () => {
  it("an image is sent once with its message, and a reader gets it and its thumbnail", async () => {
    const [a, b] = [await join(), await join()];
    const upload = await uploadOk(
      server.url,
      a.token,
      await png(800, 500),
      "sunset.png",
      "image/png",
    );
    expect(upload).toMatchObject({
      name: "sunset.png",
      type: "image/png",
      width: 800,
      height: 500,
      url: `/uploads/${upload.id}`,
      thumbUrl: `/uploads/${upload.id}/thumb`,
    });
    const sent = await sendOk(a.socket, { content: "look", attachments: [upload.id] });
    expect(sent.attachments).toEqual([upload]);
    const [seen] = (await historyOf(b.socket, { limit: 5 })).filter((m) => m.id === sent.id);
    expect(seen.attachments).toEqual([upload]);

    const file = await download(server.url, upload.url, b.token);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(file.headers.get("content-security-policy")).toContain("sandbox");
    expect(file.headers.get("content-disposition")).toBe("inline; filename=sunset.png");
    expect((await sharp(Buffer.from(await file.arrayBuffer())).metadata()).width).toBe(800);

    const thumb = await download(server.url, upload.thumbUrl!, b.token);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("x-content-type-options")).toBe("nosniff");
    const t = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([t.width, t.height]).toEqual([400, 250]);
  });

  it("text may be empty with files; never both; at most 10; each once, by its uploader", async () => {
    const [a, b] = [await join(), await join()];
    const one = await uploadOk(server.url, a.token, "notes", "notes.txt", "text/plain");
    const only = await sendOk(a.socket, { content: "  ", attachments: [one.id] });
    expect(only).toMatchObject({ content: "", attachments: [one] });
    expect(await errorCode(a.socket, "textmsg", { content: "again", attachments: [one.id] })).toBe(
      "not_found",
    );
    const mine = await uploadOk(server.url, a.token, "mine", "mine.txt");
    expect(await errorCode(b.socket, "textmsg", { content: "steal", attachments: [mine.id] })).toBe(
      "not_found",
    );
    expect(await errorCode(a.socket, "textmsg", { content: "x", attachments: ["nope"] })).toBe(
      "not_found",
    );
    expect(
      await errorCode(a.socket, "textmsg", { content: "x", attachments: [mine.id, mine.id] }),
    ).toBe("not_found");
    expect(await errorCode(a.socket, "textmsg", { content: "", attachments: [] })).toBe("invalid");
    expect(await errorCode(a.socket, "textmsg", { content: "x", attachments: [1] })).toBe(
      "invalid",
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `id${i}`);
    expect(await errorCode(a.socket, "textmsg", { content: "x", attachments: eleven })).toBe(
      "invalid",
    );
    // Nothing of the refused sends was claimed: the upload can still be sent, once.
    const sent = await sendOk(a.socket, { content: "now", attachments: [mine.id] });
    expect(sent.attachments?.map((f) => f.id)).toEqual([mine.id]);
  });

  it("a resend with the same cid delivers the message with its files exactly once", async () => {
    const a = await join();
    const file = await uploadOk(server.url, a.token, "data", "data.csv");
    const payload = { content: "report", cid: uniqueName("cid"), attachments: [file.id] };
    const first = await sendOk(a.socket, payload);
    const again = await sendOk(a.socket, payload);
    expect(again).toEqual(first);
    const copies = (await historyOf(a.socket, { limit: 20 })).filter((m) => m.content === "report");
    expect(copies.map((m) => m.id)).toEqual([first.id]);
  });
});

describe("images are re-encoded without metadata", () => {
  it("GPS EXIF and XMP are gone from the served image and thumbnail; orientation is applied", async () => {
    const a = await join();
    const original = await jpegWithGps(600, 300);
    const source = await sharp(original).metadata();
    expect(source.exif).toBeDefined(); // the test image carries them
    expect(source.xmp).toBeDefined();
    const upload = await uploadOk(server.url, a.token, original, "holiday.jpg", "image/jpeg");
    // EXIF orientation 6: the 600×300 picture is shown upright, 300×600.
    expect([upload.width, upload.height]).toEqual([300, 600]);
    for (const url of [upload.url, upload.thumbUrl!]) {
      const bytes = Buffer.from(await (await download(server.url, url, a.token)).arrayBuffer());
      const m = await sharp(bytes).metadata();
      expect(m.exif).toBeUndefined();
      expect(m.xmp).toBeUndefined();
      expect(m.orientation).toBeUndefined();
      expect(bytes.includes("Exif")).toBe(false);
      expect(bytes.includes("TestCam")).toBe(false);
      expect(bytes.includes("SecretXmpAuthor")).toBe(false);
    }
    // What is kept on disk is the stripped image only.
    expect(fs.readFileSync(fileOf(upload)).includes("SecretXmpAuthor")).toBe(false);
  });
});

describe("the type comes from the bytes", () => {
  it("an HTML file named photo.jpg is a download, not text/html and not an image", async () => {
    const a = await join();
    const html = "<!doctype html><html><script>alert(1)</script></html>";
    const upload = await uploadOk(server.url, a.token, html, "photo.jpg", "image/jpeg");
    expect(upload.type).toBe("application/octet-stream");
    expect(upload.width).toBeUndefined();
    expect(upload.thumbUrl).toBeUndefined();
    const res = await download(server.url, upload.url, a.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toBe("attachment; filename=photo.jpg");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await res.text()).toBe(html);
    await expectNotFound(`${upload.url}/thumb`, a.token);
  });

  it("an SVG is a download too", async () => {
    const a = await join();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const upload = await uploadOk(server.url, a.token, svg, "logo.svg", "image/svg+xml");
    const res = await download(server.url, upload.url, a.token);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("content-type")).not.toMatch(/svg|html/);
  });

  it("file names lose paths and control characters but keep the user's text", async () => {
    const a = await join();
    const upload = await uploadOk(
      server.url,
      a.token,
      "x",
      "../../etc/\u202egnp.exe",
      "text/plain",
    );
    expect(upload.name).toBe("gnp.exe");
    const chinese = await uploadOk(server.url, a.token, "x", "照片 2026.txt");
    expect(chinese.name).toBe("照片 2026.txt");
    const res = await download(server.url, chinese.url, a.token);
    expect(res.headers.get("content-disposition")).toContain("filename*=UTF-8''%E7%85%A7%E7%89%87");
  });
});

describe("who may fetch a file", () => {
  it("before it is sent: its uploader only; after: exactly the conversation's readers", async () => {
    const [a, b, outsider] = [await join(), await join(), await join()];
    const upload = await uploadOk(server.url, a.token, await png(), "secret.png");
    await expectNotFound(upload.url, b.token);
    await expectNotFound(upload.thumbUrl!, b.token);
    await expectNotFound(upload.url);
    expect((await download(server.url, upload.url, a.token)).status).toBe(200);

    await sendOk(a.socket, { content: "for b", to: b.user.name, attachments: [upload.id] });
    expect((await download(server.url, upload.url, b.token)).status).toBe(200);
    await expectNotFound(upload.url, outsider.token);
    await expectNotFound(upload.thumbUrl!, outsider.token);
    // The same answer as for a file that does not exist.
    await expectNotFound(`/uploads/${"0".repeat(32)}`, outsider.token);
    await expectNotFound("/uploads/..%2Fchat.db", outsider.token);
  });

  it("a closed room's files are for its members; an open room's for everyone", async () => {
    const [a, member, outsider] = [await join(), await join(), await join()];
    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("vault"),
      kind: "closed",
      members: [member.user.name],
    });
    const inClosed = await uploadOk(server.url, a.token, "plans", "plans.txt");
    await sendOk(a.socket, { content: "plans", room: room.id, attachments: [inClosed.id] });
    expect((await download(server.url, inClosed.url, member.token)).status).toBe(200);
    await expectNotFound(inClosed.url, outsider.token);

    const open = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("lobby"),
      kind: "open",
    });
    const inOpen = await uploadOk(server.url, a.token, "menu", "menu.txt");
    await sendOk(a.socket, { content: "menu", room: open.room.id, attachments: [inOpen.id] });
    expect((await download(server.url, inOpen.url, outsider.token)).status).toBe(200);
  });

  it("a deleted message's files are 404 and gone from disk", async () => {
    const [a, b] = [await join(), await join()];
    const upload = await uploadOk(server.url, a.token, await png(), "oops.png");
    const sent = await sendOk(a.socket, { content: "oops", attachments: [upload.id] });
    expect(fs.existsSync(fileOf(upload))).toBe(true);
    const { message } = await callOk<{ message: Message }>(a.socket, "message:delete", {
      id: sent.id,
    });
    expect(message.attachments).toBeUndefined();
    await expectNotFound(upload.url, b.token);
    await expectNotFound(upload.thumbUrl!, a.token);
    expect(fs.existsSync(fileOf(upload))).toBe(false);
    expect(fs.existsSync(`${fileOf(upload)}.thumb`)).toBe(false);
    const [seen] = (await historyOf(b.socket, { limit: 10 })).filter((m) => m.id === sent.id);
    expect(seen).toMatchObject({ deleted: true, content: "" });
    expect(seen.attachments).toBeUndefined();
  });
});

describe("refused uploads leave nothing behind", () => {
  it("over UPLOAD_MAX_BYTES is 413 too_large, and the server still serves others", async () => {
    const a = await join();
    const before = filesOnDisk();
    const res = await uploadFile(server.url, a.token, Buffer.alloc(MAX + 1, 7), "big.bin");
    expect(res).toEqual({
      status: 413,
      body: { error: { code: "too_large", message: "The file is too large." } },
    });
    expect(filesOnDisk()).toEqual(before);
    const fine = await uploadOk(server.url, a.token, Buffer.alloc(MAX, 7), "fits.bin");
    expect(fine.size).toBe(MAX);
  });

  it("an upload broken off mid-file leaves no temp file", async () => {
    const a = await join();
    const before = filesOnDisk();
    const boundary = "----cut";
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.bin"\r\n` +
      "Content-Type: application/octet-stream\r\n\r\n";
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write(
      `POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${a.token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 900000\r\n\r\n${head}`,
    );
    socket.write(Buffer.alloc(300_000, 1));
    await new Promise((r) => setTimeout(r, 200));
    const partial = filesOnDisk().filter((f) => !before.includes(f));
    expect(partial.length).toBe(1); // it was streaming to disk
    socket.destroy();
    const deadline = Date.now() + 3000;
    while (filesOnDisk().length > before.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(filesOnDisk()).toEqual(before);
  });

  it("bad requests get their codes: no session 401, not multipart or no file 400", async () => {
    const a = await join();
    const anon = await fetch(`${server.url}/api/uploads`, { method: "POST", body: new FormData() });
    expect(anon.status).toBe(401);
    const json = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    const form = new FormData();
    form.append("other", "value");
    const noFile = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}` },
      body: form,
    });
    expect(noFile.status).toBe(400);
    const broken = await fetch(`${server.url}/api/uploads`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${a.token}`,
        "content-type": "multipart/form-data; boundary=x",
      },
      body: "--x\r\nnonsense",
    });
    expect(broken.status).toBe(400);
    // A JPEG that does not decode is refused: its metadata could not be stripped.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100, 0)]);
    expect((await uploadFile(server.url, a.token, fake, "x.jpg")).status).toBe(400);
    expect((await uploadOk(server.url, a.token, "still fine", "ok.txt")).name).toBe("ok.txt");
  });
});

describe("upload budgets", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ UPLOAD_RATE_LIMIT: "2", UPLOAD_MB_RATE_LIMIT: "1" });
  });
  afterAll(() => limited.close());

  it("count and bytes per user per minute: then 429 rate_limited; others are not affected", async () => {
    const [a, b] = [await joinChat(limited.url), await joinChat(limited.url)];
    await uploadOk(limited.url, a.token, "1", "1.txt");
    await uploadOk(limited.url, a.token, "2", "2.txt");
    const third = await uploadFile(limited.url, a.token, "3", "3.txt");
    expect([third.status, third.body.error?.code]).toEqual([429, "rate_limited"]);
    // 1 MiB a minute: the second MiB of one file is refused mid-stream.
    const big = await uploadFile(
      limited.url,
      b.token,
      Buffer.alloc(2 * 1024 * 1024 + 10),
      "big.bin",
    );
    expect([big.status, big.body.error?.code]).toEqual([429, "rate_limited"]);
    const c = await joinChat(limited.url);
    expect((await uploadOk(limited.url, c.token, "ok", "ok.txt")).name).toBe("ok.txt");
    for (const x of [a, b, c]) x.socket.close();
  });
});
