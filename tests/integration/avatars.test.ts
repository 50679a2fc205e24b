// Profile pictures over real HTTP and sockets: an upload becomes a small square WebP with no
// metadata, served to anyone; everyone hears of it; what is refused is refused.
import sharp from "sharp";
import type { User } from "../../common/events";
import {
  connect,
  connected,
  joinChat,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { download, jpegWithGps, png, postFile, uploadFile } from "../support/uploads";

const MIB = 1024 * 1024;
type AvatarBody = { user?: User; error?: { code: string } };

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000" });
});
afterAll(() => server.close());

const clients: Client[] = [];
async function join(): Promise<Client> {
  const c = await joinChat(server.url, uniqueName("pic"));
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.close();
});

function uploadAvatar(token: string, bytes: Buffer | string, name = "me.jpg", url = server.url) {
  return postFile<AvatarBody>(`${url}/api/account/avatar`, token, bytes, name);
}

async function avatarOk(token: string, bytes: Buffer, name?: string): Promise<User> {
  const res = await uploadAvatar(token, bytes, name);
  if (res.status !== 200 || !res.body.user) {
    throw new Error(`avatar failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.user;
}

const pictureUrl = (avatar: string) => `/avatars/custom/${avatar.slice("custom:".length)}.webp`;

describe("uploading a profile picture", () => {
  it("gives a square WebP of at most 256 px, upright, without EXIF, GPS or XMP, served to anyone", async () => {
    const a = await join();
    const original = await jpegWithGps(600, 300, true);
    expect((await sharp(original).metadata()).exif).toBeDefined(); // it carries them
    const user = await avatarOk(a.token, original, "holiday.jpg");
    expect(user).toEqual({ ...a.user, avatar: expect.stringMatching(/^custom:[\w-]{22}$/) });

    const res = await download(server.url, pictureUrl(user.avatar)); // no session at all
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const bytes = Buffer.from(await res.arrayBuffer());
    const m = await sharp(bytes).metadata();
    expect([m.format, m.width, m.height]).toEqual(["webp", 256, 256]);
    expect([m.exif, m.xmp, m.icc, m.orientation]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    for (const secret of ["Exif", "TestCam", "SecretXmpAuthor"]) {
      expect(bytes.includes(secret)).toBe(false);
    }
    // EXIF orientation 6 applied: the left (red) half of the stored image is now on top.
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data.subarray((y * info.width + x) * info.channels);
    expect(at(128, 20)[0]).toBeGreaterThan(200);
    expect(at(128, 235)[2]).toBeGreaterThan(200);
  });

  it("keeps a small picture's size (never enlarged), cropped square", async () => {
    const a = await join();
    const user = await avatarOk(a.token, await png(120, 80), "small.png");
    const res = await download(server.url, pictureUrl(user.avatar));
    const m = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect([m.width, m.height]).toEqual([80, 80]);
  });

  it("keeps only the newest picture: the older one is gone", async () => {
    const a = await join();
    const first = await avatarOk(a.token, await png(300, 300), "one.png");
    const second = await avatarOk(a.token, await jpegWithGps(), "two.jpg");
    expect(second.avatar).not.toBe(first.avatar);
    expect((await download(server.url, pictureUrl(first.avatar))).status).toBe(404);
    expect((await download(server.url, pictureUrl(second.avatar))).status).toBe(200);
  });

  it("tells every socket with `user`, and the uploader's next messages carry it", async () => {
    const [a, b] = [await join(), await join()];
    const heard = nextEvent(b.socket, "user", ({ user }) => user.id === a.user.id);
    const mine = nextEvent(a.socket, "user", ({ user }) => user.id === a.user.id);
    const user = await avatarOk(a.token, await png(300, 200), "me.png");
    expect((await heard).user).toEqual(user);
    expect((await mine).user).toEqual(user);
    const seen = nextEvent(b.socket, "textmsg", (m) => m.content === "new look");
    const sent = await sendOk(a.socket, { content: "new look" });
    expect(sent.from.avatar).toBe(user.avatar);
    expect((await seen).from.avatar).toBe(user.avatar);
    // A socket connecting afterwards lists the uploader with the new picture.
    const c = connect(server.url, b.token);
    const online = nextEvent(c, "online");
    await connected(c);
    expect((await online).users.find((u) => u.id === a.user.id)?.avatar).toBe(user.avatar);
    c.close();
  });
});

describe("what a profile picture upload refuses", () => {
  it("an HTML file named .png is 400 bad_request, and the picture stays", async () => {
    const a = await join();
    const html = "<!doctype html><html><script>alert(1)</script></html>";
    const res = await uploadAvatar(a.token, html, "me.png");
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("bad_request");
    const text = await uploadAvatar(a.token, "just text", "me.jpg");
    expect(text.status).toBe(400);
    const session = await fetch(`${server.url}/api/account`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(((await session.json()) as { user: User }).user.avatar).toBe(a.user.avatar);
  });

  it("over 5 MB is 413 too_large, declared or streamed; then others are still served", async () => {
    const [a, b] = [await join(), await join()];
    const big = Buffer.concat([await png(10, 10), Buffer.alloc(5 * MIB, 1)]);
    const declared = await uploadAvatar(a.token, big, "big.png");
    expect(declared).toEqual({
      status: 413,
      body: { error: { code: "too_large", message: "The file is too large." } },
    });
    // No Content-Length: refused while it streams in.
    const boundary = "----pic";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
        "Content-Type: image/png\r\n\r\n",
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(head);
        for (let i = 0; i < 6; i++) controller.enqueue(new Uint8Array(MIB));
        controller.enqueue(tail);
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/account/avatar`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${a.token}`,
        "content-type": `multipart/form-data; boundary=${boundary}`,
      },
      body,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as AvatarBody).error?.code).toBe("too_large");
    expect((await avatarOk(b.token, await png(64, 64), "fine.png")).avatar).toMatch(/^custom:/);
    expect((await sendOk(b.socket, { content: "still here" })).content).toBe("still here");
  });

  it("needs a session (401); not multipart or no file is 400; an unknown picture is 404", async () => {
    const anon = await fetch(`${server.url}/api/account/avatar`, {
      method: "POST",
      body: new FormData(),
    });
    expect(anon.status).toBe(401);
    const a = await join();
    const json = await fetch(`${server.url}/api/account/avatar`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(400);
    for (const path of [
      "/avatars/custom/AAAAAAAAAAAAAAAAAAAAAA.webp",
      "/avatars/custom/..%2Fchat.webp",
      "/avatars/custom/x.webp",
    ]) {
      const res = await download(server.url, path);
      expect(res.status).toBe(404);
    }
    expect((await download(server.url, "/avatars/fox.svg")).status).toBe(200);
  });
});

describe("profile pictures and the uploads budget", () => {
  it("count against UPLOAD_RATE_LIMIT like files do", async () => {
    const limited = await startServer({ UPLOAD_RATE_LIMIT: "2" });
    try {
      const a = await joinChat(limited.url, uniqueName("budget"));
      for (let i = 0; i < 2; i++) {
        expect((await uploadAvatar(a.token, await png(), "p.png", limited.url)).status).toBe(200);
      }
      const refused = await uploadAvatar(a.token, await png(), "p.png", limited.url);
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe("rate_limited");
      expect((await uploadFile(limited.url, a.token, "x", "x.txt")).status).toBe(429);
      a.socket.close();
    } finally {
      await limited.close();
    }
  });
});
