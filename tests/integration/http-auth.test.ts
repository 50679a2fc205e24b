import request from "supertest";
import { connect, connected, joinChat, uniqueName } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const api = () => request(server.url);
const newSession = (body: unknown) =>
  api()
    .post("/api/session")
    .send(body as object);

describe("GET /healthz and /api/avatars", () => {
  it("reports ok once accepting logins", async () => {
    const res = await api().get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("lists at least 8 avatars, each a real SVG", async () => {
    const res = await api().get("/api/avatars");
    expect(res.status).toBe(200);
    expect(res.body.avatars.length).toBeGreaterThanOrEqual(8);
    for (const a of res.body.avatars) {
      expect(a).toEqual({ id: expect.any(String), url: `/avatars/${a.id}.svg` });
      const svg = await api().get(a.url);
      expect(svg.status).toBe(200);
      expect(svg.headers["content-type"]).toMatch(/image\/svg\+xml/);
      expect(svg.text ?? svg.body.toString()).toMatch(/<svg/);
    }
  });
});

describe("POST /api/session", () => {
  it("creates a session with a token and a new user", async () => {
    const res = await newSession({ name: "  东东  ", avatar: "panda" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      token: expect.any(String),
      user: { id: expect.any(String), name: "东东", avatar: "panda" },
    });
  });

  it.each([
    ["missing", {}],
    ["empty", { name: "   " }],
    ["too long", { name: "x".repeat(25) }],
    ["not a string", { name: 42 }],
    ["bad characters", { name: "a<b>" }],
    ["invisible characters", { name: "a\u200bb" }],
    ["control characters", { name: "a\u0007b" }],
  ])("refuses a nickname that is %s with invalid_name", async (_label, body) => {
    const res = await newSession({ avatar: "fox", ...body });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_name");
    expect(typeof res.body.error.message).toBe("string");
  });

  it("accepts 24 code points of any script, space, _, - and .", async () => {
    const name = "ß".repeat(20) + " _-.";
    expect([...name]).toHaveLength(24);
    expect((await newSession({ name, avatar: "fox" })).status).toBe(201);
    expect((await newSession({ name: "😀".repeat(2), avatar: "fox" })).status).toBe(400);
  });

  it.each([[{}], [{ avatar: "nope" }], [{ avatar: 3 }], [{ avatar: "toString" }]])(
    "refuses avatar %j with invalid_avatar",
    async (body) => {
      const res = await newSession({ name: uniqueName(), ...body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_avatar");
    },
  );

  it.each([
    ["malformed JSON", "{bad"],
    ["an array", "[1,2]"],
    ["a string", '"alice"'],
    ["null", "null"],
  ])("answers %s with bad_request", async (_label, body) => {
    const res = await api().post("/api/session").set("content-type", "application/json").send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("bad_request");
  });

  it("holds a nickname: the same name in another case or width is taken", async () => {
    const name = uniqueName("Held");
    expect((await newSession({ name, avatar: "fox" })).status).toBe(201);
    for (const variant of [name, name.toUpperCase(), name.toLowerCase(), ` ${name} `]) {
      const res = await newSession({ name: variant, avatar: "owl" });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("name_taken");
    }
    // NFKC: fullwidth letters fold to ASCII.
    expect((await newSession({ name: "ＡＢＣ", avatar: "fox" })).status).toBe(201);
    expect((await newSession({ name: "abc", avatar: "fox" })).status).toBe(409);
  });

  it("gives every login a new user id", async () => {
    const name = uniqueName();
    const first = await newSession({ name, avatar: "fox" });
    await api()
      .delete("/api/session")
      .set("authorization", `Bearer ${first.body.token}`)
      .expect(204);
    const second = await newSession({ name, avatar: "fox" });
    expect(second.status).toBe(201);
    expect(second.body.user.id).not.toBe(first.body.user.id);
  });

  it("still serves others after bad input", async () => {
    await api().post("/api/session").set("content-type", "application/json").send("{{{");
    expect((await newSession({ name: uniqueName(), avatar: "fox" })).status).toBe(201);
  });
});

describe("DELETE /api/session", () => {
  it("ends the session, releases the name, and the token is unauthorized afterwards", async () => {
    const name = uniqueName();
    const { body } = await newSession({ name, avatar: "fox" });
    const auth = `Bearer ${body.token}`;
    await api().delete("/api/session").set("authorization", auth).expect(204);
    const again = await api().delete("/api/session").set("authorization", auth);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("unauthorized");
    expect((await newSession({ name, avatar: "fox" })).status).toBe(201);
    const socket = connect(server.url, body.token);
    await expect(connected(socket)).rejects.toThrow("unauthorized");
    socket.close();
  });

  it("answers 401 without or with a wrong token", async () => {
    expect((await api().delete("/api/session")).status).toBe(401);
    expect((await api().delete("/api/session").set("authorization", "Bearer nope")).status).toBe(
      401,
    );
  });

  it("disconnects the session's open sockets within 3 seconds", async () => {
    const client = await joinChat(server.url);
    const gone = new Promise<number>((resolve) => {
      const start = Date.now();
      client.socket.on("disconnect", () => resolve(Date.now() - start));
    });
    await api().delete("/api/session").set("authorization", `Bearer ${client.token}`).expect(204);
    expect(await gone).toBeLessThan(3000);
  });
});

describe("browser login flow", () => {
  const form = (
    agent: request.Agent | request.SuperTest<request.Test>,
    name: string,
    avatar = "fox",
  ) => agent.post("/login").type("form").send({ name, avatar });

  it("GET / shows the login page; /chat redirects there without a session", async () => {
    const page = await api().get("/");
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="name"');
    const chat = await api().get("/chat");
    expect(chat.status).toBe(303);
    expect(chat.headers.location).toBe("/");
  });

  it("logs in with a cookie (HttpOnly, SameSite=Lax), then / redirects to /chat", async () => {
    const agent = request.agent(server.url);
    const res = await form(agent, uniqueName());
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/chat");
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await agent.get("/chat")).status).toBe(200);
    const root = await agent.get("/");
    expect(root.status).toBe(303);
    expect(root.headers.location).toBe("/chat");
  });

  it("re-renders the form with an alert and the typed nickname on 400 and 409", async () => {
    const bad = await form(api(), "bad<name>");
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/role="alert"/);
    expect(bad.text).toContain('value="bad&lt;name&gt;"');
    const name = uniqueName();
    await form(api(), name).expect(303);
    const taken = await form(api(), name);
    expect(taken.status).toBe(409);
    expect(taken.text).toMatch(/role="alert"/);
    expect(taken.text).toContain(`value="${name}"`);
    const noAvatar = await form(api(), uniqueName(), "zzz");
    expect(noAvatar.status).toBe(400);
  });

  it("POST /logout ends the session, releases the name and the cookie is refused afterwards", async () => {
    const agent = request.agent(server.url);
    const name = uniqueName();
    const login = await form(agent, name);
    const cookie = String(login.headers["set-cookie"]).split(";")[0];
    const socket = connect(server.url, undefined, { extraHeaders: { cookie } });
    await connected(socket);
    const dropped = new Promise((r) => socket.once("disconnect", r));
    const out = await agent.post("/logout");
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/");
    await dropped;
    expect((await request(server.url).get("/chat").set("cookie", cookie)).status).toBe(303);
    const again = connect(server.url, undefined, { extraHeaders: { cookie } });
    await expect(connected(again)).rejects.toThrow("unauthorized");
    again.close();
    await form(api(), name).expect(303);
  });

  it("refuses a login posted from another site, accepts its own origin", async () => {
    const evil = await form(api(), uniqueName()).set("origin", "https://evil.example");
    expect(evil.status).toBe(403);
    const own = await form(api(), uniqueName()).set("origin", server.url);
    expect(own.status).toBe(303);
  });

  it("sends a strict CSP without inline script", async () => {
    const res = await api().get("/");
    const csp = res.headers["content-security-policy"];
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline/);
  });
});
