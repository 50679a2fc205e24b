import fs from "node:fs";
import path from "node:path";
import type { Message, Room } from "../../common/events";
import {
  callOk,
  errorCode,
  historyOf,
  joinChat,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import {
  addDevice,
  connectedSocket,
  from,
  linkCode,
  moderate,
  serverDisconnect,
} from "../support/identity";
import { startServer, type TestServer } from "../support/server";

const ADMIN_CODE = "the-admin-code-1234";
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ ADMIN_CODE, TRUST_PROXY: "1" });
});
afterAll(() => server.close());

/** Logs in from `ip` and connects. */
async function joinFrom(ip: string, name = uniqueName()): Promise<Client> {
  const res = await from(server.url, ip).post("/api/session").send({ name, avatar: "fox" });
  if (res.status !== 201) throw new Error(`login ${res.status} ${res.text}`);
  const socket = await connectedSocket(server.url, res.body.token);
  return { socket, user: res.body.user, token: res.body.token, received: [] };
}

async function admin(): Promise<Client> {
  const client = await joinChat(server.url);
  const res = await from(server.url).post("/api/admin", client.token).send({ code: ADMIN_CODE });
  expect(res.status).toBe(200);
  return client;
}

describe("admins", () => {
  it("claims admin with the right code (200, admin: true); a wrong code is 403 invalid_code", async () => {
    const alice = await joinChat(server.url);
    const wrong = await from(server.url).post("/api/admin", alice.token).send({ code: "nope" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("invalid_code");
    const res = await from(server.url).post("/api/admin", alice.token).send({ code: ADMIN_CODE });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ ...alice.user, admin: true });
    expect((await from(server.url).get("/api/session", alice.token)).body.user.admin).toBe(true);
    expect((await from(server.url).post("/api/admin").send({ code: ADMIN_CODE })).status).toBe(401);
    alice.socket.disconnect();
  });

  it("gives the flag to sockets already connected and to every device", async () => {
    const alice = await joinChat(server.url);
    const phone = await addDevice(server.url, alice.token);
    const target = await joinChat(server.url);
    expect((await moderate(alice.socket, { action: "kick", name: target.user.name })).ok).toBe(
      false,
    );
    await from(server.url).post("/api/admin", alice.token).send({ code: ADMIN_CODE });
    const sockets = await server.chat.io.in(`user:${alice.user.id}`).fetchSockets();
    expect(sockets.map((s) => s.data.user.admin)).toEqual([true]);
    expect((await from(server.url).get("/api/session", phone.token)).body.user.admin).toBe(true);
    const gone = serverDisconnect(target.socket);
    expect(await moderate(alice.socket, { action: "kick", name: target.user.name })).toEqual({
      ok: true,
    });
    await gone;
    alice.socket.disconnect();
  });

  it("uses the code generated into DATA_DIR/admin-code when ADMIN_CODE is unset", async () => {
    const other = await startServer();
    const code = fs.readFileSync(path.join(other.dataDir, "admin-code"), "utf8").trim();
    expect(code.length).toBeGreaterThanOrEqual(16);
    const me = await joinChat(other.url);
    const res = await from(other.url).post("/api/admin", me.token).send({ code });
    expect(res.body.user.admin).toBe(true);
    const page = await from(other.url).get(`/admin/${code}`).set("Cookie", "x=1");
    expect(page.status).toBe(401);
    me.socket.disconnect();
    await other.close();
  });
});

describe("the admin claim link /admin/<code>", () => {
  it("shows a button whose POST makes the browser's user an admin", async () => {
    const login = await from(server.url)
      .post("/login")
      .type("form")
      .send({ name: uniqueName(), avatar: "fox" });
    const cookie = (login.headers["set-cookie"] as unknown as string[])[0].split(";")[0];
    const page = await from(server.url).get(`/admin/${ADMIN_CODE}`).set("Cookie", cookie);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<button type="submit" class="primary">Become admin<\/button>/);
    const wrong = await from(server.url).post("/admin/wrong-code").set("Cookie", cookie);
    expect(wrong.status).toBe(403);
    expect(wrong.text).toMatch(/role="alert"/);
    const ok = await from(server.url).post(`/admin/${ADMIN_CODE}`).set("Cookie", cookie);
    expect(ok.status).toBe(303);
    expect((await from(server.url).get("/api/session").set("Cookie", cookie)).body.user.admin).toBe(
      true,
    );
  });
});

describe("moderate", () => {
  it("is forbidden for non-admins", async () => {
    const bob = await joinChat(server.url);
    const carol = await joinChat(server.url);
    const ack = await moderate(bob.socket, { action: "kick", name: carol.user.name });
    expect(ack).toEqual({ ok: false, error: { code: "forbidden", message: expect.any(String) } });
    expect(carol.socket.connected).toBe(true);
    for (const c of [bob, carol]) c.socket.disconnect();
  });

  it("refuses malformed payloads with invalid", async () => {
    const boss = await admin();
    for (const p of [
      null,
      {},
      { action: "nuke", name: "x" },
      { action: "ban", name: "x", minutes: -1 },
    ]) {
      const ack = await moderate(boss.socket, p);
      expect(ack.ok ? "ok" : ack.error.code).toBe("invalid");
    }
    boss.socket.disconnect();
  });

  it("kick disconnects every device within 3 s and releases the nickname", async () => {
    const boss = await admin();
    const troll = await joinChat(server.url);
    const phone = await addDevice(server.url, troll.token);
    const phoneSocket = await connectedSocket(server.url, phone.token);
    const started = Date.now();
    const gone = Promise.all([serverDisconnect(troll.socket), serverDisconnect(phoneSocket)]);
    expect(await moderate(boss.socket, { action: "kick", name: troll.user.name })).toEqual({
      ok: true,
    });
    await gone;
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await from(server.url).get("/api/session", troll.token)).status).toBe(401);
    const again = await from(server.url)
      .post("/api/session")
      .send({ name: troll.user.name, avatar: "fox" });
    expect(again.status).toBe(201);
    expect((await moderate(boss.socket, { action: "kick", name: "nobody-here" })).ok).toBe(false);
    boss.socket.disconnect();
  });

  it("ban refuses the nickname and the IP with 403 banned; unban lifts it", async () => {
    const boss = await admin();
    const troll = await joinFrom("203.0.113.5", uniqueName("troll"));
    const gone = serverDisconnect(troll.socket);
    expect(
      await moderate(boss.socket, { action: "ban", name: troll.user.name, minutes: 5 }),
    ).toEqual({ ok: true });
    await gone;
    const byName = await from(server.url, "203.0.113.99")
      .post("/api/session")
      .send({ name: troll.user.name.toUpperCase(), avatar: "fox" });
    expect(byName.status).toBe(403);
    expect(byName.body.error.code).toBe("banned");
    const byIp = await from(server.url, "203.0.113.5")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(byIp.status).toBe(403);
    expect(byIp.body.error.code).toBe("banned");
    const form = await from(server.url, "203.0.113.5")
      .post("/login")
      .type("form")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(form.status).toBe(403);
    expect(form.text).toMatch(/role="alert"/);
    const elsewhere = await from(server.url, "203.0.113.6")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(elsewhere.status).toBe(201);
    // Nor can the banned address come in as another user's device.
    const code = await linkCode(server.url, elsewhere.body.token);
    const byLink = await from(server.url, "203.0.113.5").post("/api/session").send({ link: code });
    expect(byLink.status).toBe(403);
    expect(byLink.body.error.code).toBe("banned");
    expect(await moderate(boss.socket, { action: "unban", name: troll.user.name })).toEqual({
      ok: true,
    });
    const back = await from(server.url, "203.0.113.5")
      .post("/api/session")
      .send({ name: troll.user.name, avatar: "fox" });
    expect(back.status).toBe(201);
    boss.socket.disconnect();
  });

  it("ban by nickname works for a nickname nobody holds", async () => {
    const boss = await admin();
    const name = uniqueName("future");
    expect(await moderate(boss.socket, { action: "ban", name })).toEqual({ ok: true });
    const res = await from(server.url, "203.0.113.50")
      .post("/api/session")
      .send({ name, avatar: "fox" });
    expect(res.body.error.code).toBe("banned");
    boss.socket.disconnect();
  });
});

describe("what admins may not see", () => {
  it("refuses an admin someone else's private message: delete, edit, react not_found; search never finds it", async () => {
    const boss = await admin();
    const [a, b] = [await joinChat(server.url), await joinChat(server.url)];
    const word = `privateword${process.pid}`;
    const p = await sendOk(a.socket, { content: `${word} between us`, to: b.user.name });
    for (const [event, payload] of [
      ["message:delete", { id: p.id }],
      ["message:edit", { id: p.id, content: "moderated" }],
      ["message:react", { id: p.id, emoji: "👍" }],
    ] as const) {
      expect([event, await errorCode(boss.socket, event, payload)]).toEqual([event, "not_found"]);
    }
    for (const payload of [
      { q: word },
      { q: word, with: a.user.name },
      { q: word, with: b.user.name },
    ]) {
      const found = await callOk<{ messages: Message[] }>(boss.socket, "search", payload);
      expect(found.messages).toEqual([]);
    }
    // Untouched for the two of them.
    const kept = (await historyOf(b.socket, { with: a.user.name })).find((m) => m.id === p.id);
    expect(kept).toMatchObject({ content: `${word} between us` });
    expect(kept?.deleted).toBeUndefined();
    expect(kept?.reactions ?? []).toEqual([]);
    for (const c of [boss, a, b]) c.socket.disconnect();
  });

  it("lets an admin delete others' messages in an open room (members hear it), not in a closed room it is not in", async () => {
    const boss = await admin();
    const [a, b] = [await joinChat(server.url), await joinChat(server.url)];
    const open = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("open"),
      kind: "open",
    });
    await callOk(b.socket, "room:join", { room: open.room.id });
    const m = await sendOk(a.socket, { content: "spam in the open", room: open.room.id });
    const heard = nextEvent(b.socket, "message:update", (u) => u.id === m.id);
    expect(await errorCode(boss.socket, "message:delete", { id: m.id })).toBe("ok");
    expect(await heard).toMatchObject({ id: m.id, deleted: true, content: "" });

    const closed = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("closed"),
      kind: "closed",
      members: [b.user.name],
    });
    const r = await sendOk(a.socket, { content: "members only", room: closed.room.id });
    for (const [event, payload] of [
      ["message:delete", { id: r.id }],
      ["message:edit", { id: r.id, content: "x" }],
      ["message:react", { id: r.id, emoji: "👍" }],
    ] as const) {
      expect([event, await errorCode(boss.socket, event, payload)]).toEqual([event, "not_found"]);
    }
    const kept = (await historyOf(b.socket, { room: closed.room.id })).find((x) => x.id === r.id);
    expect(kept).toMatchObject({ content: "members only" });
    expect(kept?.deleted).toBeUndefined();
    for (const c of [boss, a, b]) c.socket.disconnect();
  });
});
