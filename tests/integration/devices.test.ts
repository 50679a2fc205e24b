import {
  connect,
  connected,
  historyOf,
  joinChat,
  login,
  sendOk,
  sleep,
  uniqueName,
} from "../support/clients";
import { addDevice, connectedSocket, from, linkCode, serverDisconnect } from "../support/identity";
import { startServer, type TestServer } from "../support/server";
import request from "supertest";
import type { SqliteStore } from "../../server/store/sqlite-store";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const cookieOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers["set-cookie"] as string[] | undefined) ?? [])
    .map((c) => c.split(";")[0])
    .join("; ");

describe("several devices", () => {
  it("a second device joins by link code and shares the user id, nickname and private history", async () => {
    const alice = await joinChat(server.url);
    const bob = await joinChat(server.url);
    await sendOk(alice.socket, { content: "secret for bob", to: bob.user.name });
    const res = await from(server.url).post("/api/devices", alice.token);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
      url: `${server.url}/link/${res.body.code}`,
      expiresAt: expect.any(Number),
      qr: expect.stringMatching(/^data:image\/gif;base64,/),
    });
    expect(res.body.expiresAt - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(res.body.expiresAt - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    const phone = await from(server.url).post("/api/session").send({ link: res.body.code });
    expect(phone.status).toBe(201);
    expect(phone.body.user).toEqual(alice.user);
    expect(phone.body.token).not.toBe(alice.token);
    const socket = await connectedSocket(server.url, phone.body.token);
    const history = await historyOf(socket, { with: bob.user.name });
    expect(history.map((m) => m.content)).toEqual(["secret for bob"]);
    // A private message reaches both devices of the recipient.
    const onPhone = new Promise((r) => socket.once("textmsg", r));
    await sendOk(bob.socket, { content: "to both", to: alice.user.name });
    await expect(onPhone).resolves.toMatchObject({ content: "to both" });
    for (const s of [alice.socket, bob.socket, socket]) s.disconnect();
  });

  it("refuses a used, unknown or expired code with 410 link_expired", async () => {
    const { token } = await login(server.url);
    const code = await linkCode(server.url, token);
    expect((await from(server.url).post("/api/session").send({ link: code })).status).toBe(201);
    const again = await from(server.url).post("/api/session").send({ link: code });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe("link_expired");
    expect(
      (await from(server.url).post("/api/session").send({ link: "nope-nope-nope" })).status,
    ).toBe(410);
    const old = await linkCode(server.url, token);
    (server.store as SqliteStore).db.prepare("UPDATE link_codes SET expires_at = 1").run();
    expect((await from(server.url).post("/api/session").send({ link: old })).status).toBe(410);
    expect((await from(server.url).get(`/link/${old}`)).status).toBe(410);
  });

  it("links a browser through GET /link/<code> and its button's POST", async () => {
    const { token, user } = await login(server.url);
    const code = await linkCode(server.url, token);
    const page = await from(server.url).get(`/link/${code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Continue as <bdi>${user.name}</bdi>`);
    expect(page.text).toContain(`action="/link/${code}"`);
    // Opening the page (a link preview) did not use the code up.
    const posted = await from(server.url).post(`/link/${code}`).type("form").send({});
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe("/chat");
    const me = await from(server.url).get("/api/session").set("Cookie", cookieOf(posted));
    expect(me.body.user).toEqual(user);
    const reused = await from(server.url).post(`/link/${code}`).type("form").send({});
    expect(reused.status).toBe(410);
    expect(reused.text).toMatch(/role="alert"/);
  });

  it("logout on one device leaves the other connected; the nickname is released after the last", async () => {
    const laptop = await joinChat(server.url);
    const phone = await addDevice(server.url, laptop.token);
    const phoneSocket = await connectedSocket(server.url, phone.token);
    const gone = serverDisconnect(laptop.socket);
    expect(
      (await from(server.url).post("/logout", laptop.token).type("form").send({})).status,
    ).toBe(303);
    await gone;
    await sleep(200);
    expect(phoneSocket.connected).toBe(true);
    const taken = await from(server.url)
      .post("/api/session")
      .send({ name: laptop.user.name, avatar: "fox" });
    expect(taken.status).toBe(409);
    const lastGone = serverDisconnect(phoneSocket);
    expect((await from(server.url).post("/logout", phone.token).type("form").send({})).status).toBe(
      303,
    );
    await lastGone;
    const released = await from(server.url)
      .post("/api/session")
      .send({ name: laptop.user.name, avatar: "fox" });
    expect(released.status).toBe(201);
    expect(released.body.user.id).not.toBe(laptop.user.id);
  });

  it("logout with everywhere=1 disconnects every device and releases the nickname", async () => {
    const laptop = await joinChat(server.url);
    const phone = await addDevice(server.url, laptop.token);
    const phoneSocket = await connectedSocket(server.url, phone.token);
    const both = Promise.all([serverDisconnect(laptop.socket), serverDisconnect(phoneSocket)]);
    const res = await from(server.url)
      .post("/logout", laptop.token)
      .type("form")
      .send({ everywhere: "1" });
    expect(res.status).toBe(303);
    await both;
    expect((await from(server.url).get("/api/session", phone.token)).status).toBe(401);
    const next = connect(server.url, phone.token);
    await expect(connected(next)).rejects.toThrow("unauthorized");
    next.close();
    const name = await from(server.url)
      .post("/api/session")
      .send({ name: laptop.user.name, avatar: "fox" });
    expect(name.status).toBe(201);
  });

  it("DELETE /api/session ends only that device", async () => {
    const { token } = await login(server.url, uniqueName());
    const phone = await addDevice(server.url, token);
    const res = await request(server.url)
      .delete("/api/session")
      .set("Authorization", `Bearer ${token}`);
    expect(res.status).toBe(204);
    expect((await from(server.url).get("/api/session", phone.token)).status).toBe(200);
    expect((await from(server.url).get("/api/session", token)).status).toBe(401);
  });

  it("POST /api/devices needs a session", async () => {
    expect((await from(server.url).post("/api/devices")).status).toBe(401);
  });
});
