// Passkey routes given junk, and the per-address login limit: codes, never a crash.
import request from "supertest";
import { login } from "../support/clients";
import { from } from "../support/identity";
import {
  assertion,
  originOf,
  passkeyLogin,
  registerPasskey,
  registrationOptions,
  signInWithPasskey,
} from "../support/passkeys";
import { startServer, type TestServer } from "../support/server";
import { SoftAuthenticator } from "../support/webauthn";

let server: TestServer;
let url: string;
beforeAll(async () => {
  server = await startServer();
  url = server.url;
});
afterAll(() => server.close());

describe("junk", () => {
  it("is 400 invalid when registering and 401 bad_credentials when signing in; the server carries on", async () => {
    const guest = await login(url);
    const auth = new SoftAuthenticator();
    const options = await registrationOptions(url, guest.token);
    const good = auth.register(options, { origin: originOf(url) });
    const bodies: unknown[] = [
      "not json",
      [],
      { response: "x" },
      { response: null },
      { response: { ...good, id: 5 } },
      { response: { ...good, type: "other" } },
      { response: { ...good, response: { clientDataJSON: "!!", attestationObject: 7 } } },
      {
        response: {
          ...good,
          response: { ...good.response, clientDataJSON: Buffer.from("{").toString("base64url") },
        },
      },
      { response: { ...good, response: { ...good.response, attestationObject: "AAAA" } } },
      { response: good, name: 42 },
      { response: { ...good, response: { ...good.response, transports: "usb" } } },
    ];
    for (const body of bodies) {
      const raw = typeof body === "string";
      const test = request(url)
        .post("/api/account/passkeys")
        .set("Authorization", `Bearer ${guest.token}`)
        .set("Content-Type", "application/json");
      const res = await (raw ? test.send(body) : test.send(JSON.stringify(body)));
      expect([res.status, res.body.error?.code]).toEqual([400, "invalid"]);
    }
    expect((await from(url).get("/api/account", guest.token)).body.passkeys).toEqual([]);
    for (const body of [
      "{",
      [],
      { response: 1 },
      { response: { ...good } },
      {
        response: {
          id: "AAAA",
          rawId: "AAAA",
          type: "public-key",
          response: { clientDataJSON: "AAAA", authenticatorData: "AAAA", signature: "AAAA" },
        },
      },
    ]) {
      const test = request(url).post("/api/passkey/login").set("Content-Type", "application/json");
      const res = await test.send(typeof body === "string" ? body : JSON.stringify(body));
      expect([res.status, res.body.error?.code]).toEqual([401, "bad_credentials"]);
    }
    const big = await request(url)
      .post("/api/passkey/login")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ response: "x".repeat(200_000) }));
    expect(big.status).toBe(401);
    // Still serving: someone else registers and signs in.
    const next = await login(url);
    const nextAuth = new SoftAuthenticator();
    await registerPasskey(url, next.token, nextAuth);
    expect((await signInWithPasskey(url, nextAuth)).user).toEqual(next.user);
  });
});

describe("the per-address login limit", () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ LOGIN_RATE_LIMIT: "2" });
  });
  afterAll(() => limited.close());

  it("counts passkey sign-ins: 429 rate_limited past LOGIN_RATE_LIMIT a minute", async () => {
    const lurl = limited.url;
    const guest = await login(lurl);
    const auth = new SoftAuthenticator();
    await registerPasskey(lurl, guest.token, auth);
    expect((await signInWithPasskey(lurl, auth)).user.id).toBe(guest.user.id);
    const res = await passkeyLogin(lurl, { response: await assertion(lurl, auth) });
    expect([res.status, res.body.error.code]).toEqual([429, "rate_limited"]);
    expect(res.headers["retry-after"]).toBe("60");
  });
});
