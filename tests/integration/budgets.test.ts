// One abusive user cannot degrade anyone else: every event and costly route has a budget,
// forged cross-site requests and unsigned cookies are refused.
import request from "supertest";
import type { Room, TypingEvent } from "../../common/events";
import {
  call,
  callOk,
  connect,
  connected,
  errorCode,
  historyOf,
  joinChat,
  sendOk,
  sleep,
  uniqueName,
  type Client,
  type ClientSocket,
} from "../support/clients";
import { from, linkCode } from "../support/identity";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  // TRUST_PROXY: the per-IP budgets see the X-Forwarded-For addresses the tests send.
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000", TRUST_PROXY: "1" });
});
afterAll(() => server.close());

const sockets: ClientSocket[] = [];
async function join(): Promise<Client> {
  const c = await joinChat(server.url);
  sockets.push(c.socket);
  return c;
}
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

describe("budgets", () => {
  it("20 sockets of one user typing flat out: one relay per conversation every 2 s", async () => {
    const [typist, bystander] = [await join(), await join()];
    const tabs = [typist.socket];
    for (let i = 1; i < 20; i++) {
      const s = connect(server.url, typist.token);
      sockets.push(s);
      await connected(s);
      tabs.push(s);
    }
    const heard: TypingEvent[] = [];
    bystander.socket.on("typing", (e) => heard.push(e));
    const until = Date.now() + 2500;
    while (Date.now() < until) {
      for (const s of tabs) {
        s.emit("typing", {});
        s.emit("typing", { to: bystander.user.name });
      }
      await sleep(25);
    }
    await sleep(100);
    const group = heard.filter((e) => !e.to);
    const direct = heard.filter((e) => e.to);
    expect(group.length).toBeGreaterThanOrEqual(1);
    expect(group.length).toBeLessThanOrEqual(2); // at t=0 and once 2 s later
    expect(direct.length).toBeGreaterThanOrEqual(1);
    expect(direct.length).toBeLessThanOrEqual(2);
  });

  it("a history and search flood is rate_limited while a bystander is served", async () => {
    const [flooder, bystander] = [await join(), await join()];
    const codes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        errorCode(flooder.socket, i % 2 ? "history" : "search", i % 2 ? {} : { q: "anything" }),
      ),
    );
    expect(codes.filter((c) => c === "rate_limited").length).toBeGreaterThan(150);
    expect(new Set(codes)).toEqual(new Set(["ok", "rate_limited"]));
    const m = await sendOk(bystander.socket, { content: "still served" });
    expect((await historyOf(bystander.socket, { limit: 5 })).map((x) => x.id)).toContain(m.id);
    // The flooder's budget comes back.
    await sleep(2100);
    expect(await errorCode(flooder.socket, "history", {})).toBe("ok");
  });

  it("a socket that keeps asking after 200 refusals in 10 s is disconnected; others stay", async () => {
    const [flooder, bystander] = [await join(), await join()];
    const dropped = new Promise<string>((r) => flooder.socket.once("disconnect", r));
    // Acks stop coming once it is dropped: fire them all, wait for the disconnect.
    for (let i = 0; i < 260; i++) void errorCode(flooder.socket, "history", {});
    expect(await dropped).toBe("io server disconnect");
    const m = await sendOk(bystander.socket, { content: "unaffected" });
    expect(m.content).toBe("unaffected");
  });

  it("device links: the 11th in a minute is 429 rate_limited, others unaffected", async () => {
    const [a, b] = [await join(), await join()];
    const link = (token: string) =>
      request(server.url).post("/api/devices").set("authorization", `Bearer ${token}`);
    for (let i = 0; i < 10; i++) expect((await link(a.token)).status).toBe(201);
    const refused = await link(a.token);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect((await link(b.token)).status).toBe(201);
  });
});

describe("budgets of rooms, room:list, read marks and link pages", () => {
  it("room:update and room:delete take the room budget (ROOM_RATE_LIMIT, 20 a minute)", async () => {
    const [owner, other] = [await join(), await join()];
    const create = (c: Client) =>
      callOk<{ room: Room }>(c.socket, "room:create", { name: uniqueName("b"), kind: "open" });
    const { room } = await create(owner);
    for (let i = 1; i < 20; i++) {
      await callOk(owner.socket, "room:update", { room: room.id, topic: `topic ${i}` });
    }
    expect(await errorCode(owner.socket, "room:update", { room: room.id, topic: "more" })).toBe(
      "rate_limited",
    );
    expect(await errorCode(owner.socket, "room:delete", { room: room.id })).toBe("rate_limited");
    expect(await errorCode(owner.socket, "room:create", { name: "x", kind: "open" })).toBe(
      "rate_limited",
    );
    // Another user is served at once.
    const mine = await create(other);
    expect(await errorCode(other.socket, "room:update", { room: mine.room.id, topic: "t" })).toBe(
      "ok",
    );
    expect(await errorCode(other.socket, "room:delete", { room: mine.room.id })).toBe("ok");
  });

  it("room:delete alone runs out the room budget too", async () => {
    const [owner, other] = [await join(), await join()];
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { room } = await callOk<{ room: Room }>(owner.socket, "room:create", {
        name: uniqueName("d"),
        kind: "closed",
      });
      ids.push(room.id);
    }
    for (const id of ids) await callOk(owner.socket, "room:delete", { room: id });
    expect(await errorCode(owner.socket, "room:create", { name: "y", kind: "open" })).toBe(
      "rate_limited",
    );
    expect(
      await errorCode(other.socket, "room:create", { name: uniqueName("o"), kind: "open" }),
    ).toBe("ok");
  });

  it("room:list shares the read budget with history (20 in 2 s); others keep listing", async () => {
    const [flooder, bystander] = [await join(), await join()];
    const codes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        errorCode(flooder.socket, i % 2 ? "room:list" : "history", {}),
      ),
    );
    expect(codes.filter((c) => c === "ok")).toHaveLength(20);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(10);
    expect(await errorCode(flooder.socket, "room:list", {})).toBe("rate_limited");
    expect(await errorCode(bystander.socket, "room:list", {})).toBe("ok");
  });

  it("read marks: READ_MARK_RATE_LIMIT (60 per 10 s) per user, then rate_limited", async () => {
    const [reader, other] = [await join(), await join()];
    const m = await sendOk(other.socket, { content: "read me" });
    const codes = await Promise.all(
      Array.from({ length: 70 }, () => errorCode(reader.socket, "read", { id: m.id })),
    );
    expect(codes.filter((c) => c === "ok")).toHaveLength(60);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(10);
    // Apart from history's budget, and from other users.
    expect(await errorCode(reader.socket, "history", {})).toBe("ok");
    expect(await errorCode(other.socket, "read", { id: m.id })).toBe("ok");
  });

  it("GET /link/<code> takes the device-link budget per IP: the 11th is 429, another IP is served", async () => {
    const owner = await join();
    const code = await linkCode(server.url, owner.token);
    for (let i = 0; i < 10; i++) {
      expect((await from(server.url, "198.51.100.7").get(`/link/${code}`)).status).toBe(200);
    }
    const refused = await from(server.url, "198.51.100.7").get(`/link/${code}`);
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("60");
    expect(refused.text).toMatch(/role="alert"/);
    expect((await from(server.url, "198.51.100.7").get("/link/guess")).status).toBe(429);
    // Another address still sees the page, and the code was not used up.
    const page = await from(server.url, "198.51.100.8").get(`/link/${code}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(owner.user.name);
  });

  it("typing over budget is answered before any lookup: ok, whatever the room", async () => {
    const [owner, outsider] = [await join(), await join()];
    const { room } = await callOk<{ room: Room }>(owner.socket, "room:create", {
      name: uniqueName("t"),
      kind: "closed",
    });
    expect(await errorCode(outsider.socket, "typing", { room: room.id })).toBe("not_found");
    // Within the 2 s the slot is spent: no lookup, the same ok a room that exists would get.
    expect(await errorCode(outsider.socket, "typing", { room: room.id })).toBe("ok");
    expect(await errorCode(outsider.socket, "typing", { room: "no-such-room" })).toBe("not_found");
    expect(await errorCode(outsider.socket, "typing", { room: "no-such-room" })).toBe("ok");
  });
});

describe("CSRF, belt and braces", () => {
  it("Sec-Fetch-Site: cross-site is refused on /logout, /login and DELETE /api/session", async () => {
    const agent = request.agent(server.url);
    const name = uniqueName();
    await agent.post("/login").type("form").send({ name, avatar: "fox" }).expect(303);
    const crossSite = { "sec-fetch-site": "cross-site", origin: server.url };
    const out = await agent.post("/logout").set(crossSite);
    expect(out.status).toBe(403);
    const other = await agent
      .post("/login")
      .set(crossSite)
      .type("form")
      .send({ name: uniqueName(), avatar: "owl" });
    expect(other.status).toBe(403);
    const del = await agent.delete("/api/session").set(crossSite);
    expect(del.status).toBe(403);
    expect(del.body.error.code).toBe("forbidden_origin");
    // The session survived all three.
    const me = await agent.get("/api/session");
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe(name);
    await agent.post("/logout").set("sec-fetch-site", "same-origin").expect(303);
  });
});

describe("the cookie means what it says", () => {
  it("an unsigned or wrongly signed cookie is unauthorized, and /chat sends it home", async () => {
    const { token } = await joinChat(server.url).then((c) => {
      sockets.push(c.socket);
      return c;
    });
    for (const value of [token, `s:${token}.forged`, `s:${token}`]) {
      const cookie = `chat_sid=${encodeURIComponent(value)}`;
      expect((await request(server.url).get("/api/session").set("cookie", cookie)).status).toBe(
        401,
      );
      const page = await request(server.url).get("/chat").set("cookie", cookie);
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe("/");
      const s = connect(server.url, undefined, { extraHeaders: { cookie } });
      await expect(connected(s)).rejects.toThrow("unauthorized");
      s.close();
    }
    // The token itself still works as a bearer token.
    const bearer = connect(server.url, token);
    sockets.push(bearer);
    expect((await call(bearer, "history", {})).ok).toBe(true);
  });
});
