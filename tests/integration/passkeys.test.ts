// Passkeys (v3): registering one on the account and signing in with it, with a software
// authenticator speaking WebAuthn as a browser would.
import request from "supertest";
import {
  connect,
  connected,
  login,
  sendOk,
  uniqueName,
  type ClientSocket,
} from "../support/clients";
import { from, moderate } from "../support/identity";
import {
  addPasskey,
  assertion,
  originOf,
  passkeyLogin,
  registerPasskey,
  registrationOptions,
  signInOptions,
  signInWithPasskey,
} from "../support/passkeys";
import { startServer, type TestServer } from "../support/server";
import { SoftAuthenticator } from "../support/webauthn";

const ADMIN_CODE = "passkeys-admin-code";
let server: TestServer;
let url: string;
/** The server's clock runs this far ahead of the real one. */
let skew = 0;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  server = await startServer({ ADMIN_CODE, TRUST_PROXY: "1" }, { now: () => Date.now() + skew });
  url = server.url;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

const del = (id: string, token?: string) => {
  const test = request(url).delete(`/api/account/passkeys/${encodeURIComponent(id)}`);
  return token ? test.set("Authorization", `Bearer ${token}`) : test;
};

/** A guest with one passkey on a fresh authenticator. */
async function securedUser() {
  const guest = await login(url);
  const auth = new SoftAuthenticator();
  const passkey = await registerPasskey(url, guest.token, auth);
  return { ...guest, auth, passkey };
}

describe("registering a passkey", () => {
  it("offers creation options for the host the request came to; 401 without a session", async () => {
    expect((await request(url).post("/api/account/passkeys/options")).status).toBe(401);
    expect((await addPasskey(url, undefined, {})).status).toBe(401);
    const guest = await login(url);
    const options = await registrationOptions(url, guest.token);
    expect(options).toMatchObject({
      rp: { id: "127.0.0.1", name: "Group chat" },
      user: { id: Buffer.from(guest.user.id).toString("base64url"), name: guest.user.name },
      challenge: expect.any(String),
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
    const forwarded = await request(url)
      .post("/api/account/passkeys/options")
      .set("Authorization", `Bearer ${guest.token}`)
      .set("X-Forwarded-Host", "chat.example");
    expect(forwarded.body.options.rp.id).toBe("chat.example");
  });

  it("adds it, lists it in the account, excludes it next time, and signs in with it", async () => {
    const guest = await login(url);
    const auth = new SoftAuthenticator();
    const before = Date.now();
    const passkey = await registerPasskey(url, guest.token, auth);
    expect(passkey).toEqual({
      id: expect.any(String),
      name: "Passkey 1",
      createdAt: expect.any(Number),
    });
    expect(passkey.createdAt).toBeGreaterThanOrEqual(before);
    const account = await from(url).get("/api/account", guest.token);
    expect(account.body).toMatchObject({
      secured: true,
      passkeys: [
        { id: passkey.id, name: "Passkey 1", createdAt: passkey.createdAt, lastUsedAt: null },
      ],
    });
    const again = await registrationOptions(url, guest.token);
    expect(again.excludeCredentials).toEqual([
      { id: passkey.id, type: "public-key", transports: ["internal"] },
    ]);

    const options = await signInOptions(url);
    expect(options).toMatchObject({
      rpId: "127.0.0.1",
      allowCredentials: [],
      challenge: expect.any(String),
    });
    const response = auth.authenticate(options, { origin: originOf(url) });
    const res = await passkeyLogin(url, { response });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ token: expect.any(String), user: guest.user });
    expect(res.headers["set-cookie"]?.[0]).toMatch(/^chat_sid=.*Max-Age=2592000/);
    const socket = connect(url, res.body.token);
    sockets.push(socket);
    await connected(socket);
    expect((await sendOk(socket, { content: "hello from a passkey" })).from.id).toBe(guest.user.id);
    const used = await from(url).get("/api/account", res.body.token);
    expect(used.body.passkeys[0].lastUsedAt).toEqual(expect.any(Number));
  });

  it("refuses another origin, another rp id, a used challenge and someone else's challenge", async () => {
    const guest = await login(url);
    const other = await login(url);
    const auth = new SoftAuthenticator();
    const attempt = async (ceremony: { origin?: string; rpId?: string }, token = guest.token) => {
      const options = await registrationOptions(url, token);
      const response = auth.register(options, { origin: originOf(url), ...ceremony });
      return addPasskey(url, guest.token, { response });
    };
    for (const res of [
      await attempt({ origin: "http://evil.example" }),
      await attempt({ origin: "https://127.0.0.1" }),
      await attempt({ rpId: "evil.example" }),
      await attempt({}, other.token),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid");
    }
    const options = await registrationOptions(url, guest.token);
    const response = auth.register(options, { origin: originOf(url) });
    expect((await addPasskey(url, guest.token, { response })).status).toBe(201);
    const replay = await addPasskey(url, guest.token, { response });
    expect([replay.status, replay.body.error.code]).toEqual([400, "invalid"]);
    // Sign-in options cannot register.
    const login2 = await signInOptions(url);
    const viaLogin = auth.register(
      { ...options, challenge: login2.challenge },
      { origin: originOf(url) },
    );
    expect((await addPasskey(url, guest.token, { response: viaLogin })).status).toBe(400);
  });

  it("names passkeys: numbered by default, trimmed, no control characters, at most 60", async () => {
    const guest = await login(url);
    const auth = new SoftAuthenticator();
    await registerPasskey(url, guest.token, auth);
    expect((await registerPasskey(url, guest.token, auth, { name: "   " })).name).toBe("Passkey 2");
    expect(
      (await registerPasskey(url, guest.token, auth, { name: "  Work\u0007 laptop\u202e " })).name,
    ).toBe("Work laptop");
    expect((await registerPasskey(url, guest.token, auth, { name: "é".repeat(100) })).name).toBe(
      "é".repeat(60),
    );
  });

  it("expires its challenge after 5 minutes", async () => {
    const guest = await login(url);
    const options = await registrationOptions(url, guest.token);
    const response = new SoftAuthenticator().register(options, { origin: originOf(url) });
    skew += 5 * 60 * 1000 + 1000;
    expect((await addPasskey(url, guest.token, { response })).status).toBe(400);
  });
});

describe("signing in with a passkey", () => {
  it("refuses another origin, a replay, a counter that goes back, an unknown credential", async () => {
    const { auth } = await securedUser();
    const expectRefused = async (body: unknown) => {
      const res = await passkeyLogin(url, body);
      expect([res.status, res.body.error?.code]).toEqual([401, "bad_credentials"]);
    };
    await expectRefused({
      response: await assertion(url, auth, { origin: "http://evil.example" }),
    });
    await expectRefused({ response: await assertion(url, auth, { rpId: "evil.example" }) });
    const good = await assertion(url, auth, { counter: 5 });
    expect((await passkeyLogin(url, { response: good })).status).toBe(200);
    await expectRefused({ response: good });
    await expectRefused({ response: await assertion(url, auth, { counter: 5 }) });
    await expectRefused({ response: await assertion(url, auth, { counter: 3 }) });
    expect(
      (await passkeyLogin(url, { response: await assertion(url, auth, { counter: 6 }) })).status,
    ).toBe(200);
    const stranger = new SoftAuthenticator();
    stranger.register(await registrationOptions(url, (await login(url)).token), {
      origin: originOf(url),
    });
    await expectRefused({ response: await assertion(url, stranger) });
    // A registration challenge cannot sign in, and an expired sign-in challenge is gone.
    const registration = await registrationOptions(url, (await login(url)).token);
    await expectRefused({ response: auth.authenticate(registration, { origin: originOf(url) }) });
    const late = await assertion(url, auth);
    skew += 5 * 60 * 1000 + 1000;
    await expectRefused({ response: late });
  });

  it("locks an account after 10 failed checks in 15 minutes: 429 from any address", async () => {
    const { auth, user } = await securedUser();
    for (let i = 0; i < 10; i++) {
      const response = await assertion(url, auth, { origin: "http://evil.example" });
      expect((await passkeyLogin(url, { response })).status).toBe(401);
    }
    const res = await passkeyLogin(url, { response: await assertion(url, auth) });
    expect([res.status, res.body.error.code]).toEqual([429, "rate_limited"]);
    skew += 15 * 60 * 1000;
    expect((await signInWithPasskey(url, auth)).user).toEqual(user);
  });

  it("lets a counter-less authenticator (always 0) sign in again and again", async () => {
    const guest = await login(url);
    const auth = new SoftAuthenticator();
    await registerPasskey(url, guest.token, auth);
    for (let i = 0; i < 2; i++) {
      const res = await passkeyLogin(url, { response: await assertion(url, auth, { counter: 0 }) });
      expect(res.status).toBe(200);
    }
  });

  it("refuses a banned user with 403 banned", async () => {
    const admin = await login(url);
    await from(url).post("/api/admin", admin.token).send({ code: ADMIN_CODE });
    const adminSocket = connect(url, admin.token);
    sockets.push(adminSocket);
    await connected(adminSocket);
    const troll = await from(url, "203.0.113.7")
      .post("/api/session")
      .send({ name: uniqueName("troll"), avatar: "fox" });
    const auth = new SoftAuthenticator();
    await registerPasskey(url, troll.body.token, auth);
    expect(await moderate(adminSocket, { action: "ban", name: troll.body.user.name })).toEqual({
      ok: true,
    });
    const res = await passkeyLogin(url, { response: await assertion(url, auth) });
    expect([res.status, res.body.error.code]).toEqual([403, "banned"]);
  });
});

describe("removing a passkey", () => {
  it("never the last credential; 404 for someone else's or an unknown one", async () => {
    const alice = await securedUser();
    const bob = await securedUser();
    expect((await del(alice.passkey.id)).status).toBe(401);
    const last = await del(alice.passkey.id, alice.token);
    expect([last.status, last.body.error.code]).toEqual([409, "last_credential"]);
    const others = await del(bob.passkey.id, alice.token);
    expect([others.status, others.body.error.code]).toEqual([404, "not_found"]);
    expect((await del("no-such-passkey", alice.token)).status).toBe(404);
    expect((await del("x".repeat(3000), alice.token)).status).toBe(404);
    const second = await registerPasskey(url, alice.token, alice.auth);
    expect((await del(alice.passkey.id, alice.token)).status).toBe(204);
    expect((await del(second.id, alice.token)).status).toBe(409);
    // A removed passkey signs in no more.
    const gone = alice.auth.credentials[0];
    const res = await passkeyLogin(url, {
      response: alice.auth.authenticate(await signInOptions(url), { origin: originOf(url) }, gone),
    });
    expect(res.status).toBe(401);
  });
});
