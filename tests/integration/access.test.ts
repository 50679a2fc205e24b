import { LIMITS } from "../../common/events";
import { connect, connected, uniqueName } from "../support/clients";
import { addDevice, from, linkCode } from "../support/identity";
import { startServer, type TestServer } from "../support/server";

describe("invite-only (JOIN_CODE)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ JOIN_CODE: "let-me-in" });
  });
  afterAll(() => server.close());

  it("needs the code for POST /api/session: missing or wrong is 403 invalid_code", async () => {
    const name = uniqueName();
    for (const code of [undefined, "wrong", ""]) {
      const res = await from(server.url).post("/api/session").send({ name, avatar: "fox", code });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("invalid_code");
    }
    const ok = await from(server.url)
      .post("/api/session")
      .send({ name, avatar: "fox", code: "let-me-in" });
    expect(ok.status).toBe(201);
  });

  it("needs the code for POST /login, keeping the typed nickname", async () => {
    const name = uniqueName();
    const refused = await from(server.url)
      .post("/login")
      .type("form")
      .send({ name, avatar: "fox" });
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/role="alert"[^>]*>That invite code is not right/);
    expect(refused.text).toContain(`value="${name}"`);
    expect(refused.text).toMatch(/<label for="code">Invite code<\/label>/);
    const ok = await from(server.url)
      .post("/login")
      .type("form")
      .send({ name, avatar: "fox", code: "let-me-in" });
    expect(ok.status).toBe(303);
  });

  it("shows an Invite code textbox on /, and /join/<code> carries the code instead", async () => {
    const page = await from(server.url).get("/");
    expect(page.text).toMatch(/<label for="code">Invite code<\/label>/);
    const join = await from(server.url).get("/join/let-me-in");
    expect(join.status).toBe(200);
    expect(join.text).not.toMatch(/Invite code<\/label>/);
    expect(join.text).toContain('<input type="hidden" name="code" value="let-me-in" />');
    const wrong = await from(server.url).get("/join/nope");
    expect(wrong.text).toMatch(/<label for="code">Invite code<\/label>/);
  });

  it("does not ask a link code for the invite code", async () => {
    const res = await from(server.url)
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox", code: "let-me-in" });
    const code = await linkCode(server.url, res.body.token);
    const device = await from(server.url).post("/api/session").send({ link: code });
    expect(device.status).toBe(201);
    expect(device.body.user).toEqual(res.body.user);
  });
});

describe("abuse limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: "10", TRUST_PROXY: "1" });
  });
  afterAll(() => server.close());

  it("refuses the 11th login in a minute from one IP with 429 while another IP still logs in", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await from(server.url, "198.51.100.7")
        .post("/api/session")
        .send({ name: uniqueName(), avatar: "fox" });
      expect(res.status).toBe(201);
    }
    const eleventh = await from(server.url, "198.51.100.7")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe("rate_limited");
    expect(Number(eleventh.headers["retry-after"])).toBeGreaterThan(0);
    const form = await from(server.url, "198.51.100.7")
      .post("/login")
      .type("form")
      .send({ name: "kept", avatar: "fox" });
    expect(form.status).toBe(429);
    expect(form.headers["retry-after"]).toBeDefined();
    expect(form.text).toMatch(/role="alert"/);
    const other = await from(server.url, "198.51.100.8")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(other.status).toBe(201);
  });

  it("treats confusable nicknames as one: pаypal (Cyrillic а) vs held paypal is name_taken", async () => {
    const ip = "198.51.100.20";
    const held = await from(server.url, ip)
      .post("/api/session")
      .send({ name: "paypal", avatar: "fox" });
    expect(held.status).toBe(201);
    for (const name of ["p\u0430ypal", "PAYPAL", "paypa1"]) {
      const res = await from(server.url, ip).post("/api/session").send({ name, avatar: "fox" });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("name_taken");
    }
  });

  it(`refuses a user's socket number ${LIMITS.socketsPerUser + 1} with too_many_connections`, async () => {
    const { token } = await from(server.url, "198.51.100.30")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" })
      .then((r) => r.body as { token: string });
    const phone = await addDevice(server.url, token);
    // Opened in parallel, half from each device: the cap is per user, not per device.
    const sockets = Array.from({ length: LIMITS.socketsPerUser }, (_, i) =>
      connect(server.url, i % 2 ? token : phone.token),
    );
    await Promise.all(sockets.map(connected));
    const extra = connect(server.url, token);
    await expect(connected(extra)).rejects.toThrow("too_many_connections");
    extra.close();
    sockets[0].disconnect();
    await new Promise((r) => setTimeout(r, 100));
    const again = connect(server.url, token);
    await connected(again);
    for (const s of [...sockets, again]) s.disconnect();
  });

  it("caps parallel connects too", async () => {
    const { token } = await from(server.url, "198.51.100.31")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" })
      .then((r) => r.body as { token: string });
    const sockets = Array.from({ length: LIMITS.socketsPerUser + 5 }, () =>
      connect(server.url, token),
    );
    const results = await Promise.allSettled(sockets.map(connected));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(LIMITS.socketsPerUser);
    for (const s of sockets) s.close();
  });
});

describe("without TRUST_PROXY, a forwarding header is not an address", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: "3", TRUST_PROXY: "0" });
  });
  afterAll(() => server.close());

  it("counts logins that claim other addresses in X-Forwarded-For as the one they come from", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await from(server.url, `203.0.113.${i + 1}`)
        .post("/api/session")
        .send({ name: uniqueName(), avatar: "fox" });
      expect(res.status).toBe(201);
    }
    const fourth = await from(server.url, "203.0.113.99")
      .post("/api/session")
      .send({ name: uniqueName(), avatar: "fox" });
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe("rate_limited");
  });
});
