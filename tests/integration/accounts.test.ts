// Accounts that last (v3), on the real server with its clock injected: a guest that secures
// itself with a password keeps its user id, nickname and everything it had through days with
// no session; a guest that never did is released after 24 hours as in v2; bad credentials,
// weak passwords and the per-account failure limit get their codes.
import type { RoomsPayload } from "../../common/events";
import {
  callOk,
  connect,
  connected,
  historyOf,
  joinChat,
  login,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

const HOUR = 60 * 60 * 1000;
const STRONG = "correct horse battery staple 42";

let clock = Date.now();
let server: TestServer;
beforeAll(async () => {
  // X-Forwarded-For names the client's address, so one test speaks from two.
  server = await startServer({ TRUST_PROXY: "1" }, { now: () => clock });
});
afterAll(() => server.close());

type Json = Record<string, unknown>;
async function api(
  method: string,
  path: string,
  body?: unknown,
  { token, ip }: { token?: string; ip?: string } = {},
): Promise<{ status: number; json: Json; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (ip) headers["x-forwarded-for"] = ip;
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}
const code = (r: { json: Json }) => (r.json.error as { code?: string } | undefined)?.code;

/** Connects with a token and waits for the `rooms` snapshot every socket gets first. */
async function snapshotOf(
  token: string,
): Promise<{ client: Client["socket"]; rooms: RoomsPayload }> {
  const client = connect(server.url, token);
  const rooms = nextEvent(client, "rooms");
  await connected(client);
  return { client, rooms: await rooms };
}

/** Ends every session (logout everywhere) and lets `hours` pass, then sweeps idle sessions. */
async function awayFor(token: string, hours: number): Promise<void> {
  expect((await api("DELETE", "/api/session", undefined, { token })).status).toBe(204);
  clock += hours * HOUR;
  await server.chat.sessions.expire();
}

test("a secured user keeps its id, nickname, rooms, private history, read marks and levels", async () => {
  const alice = await joinChat(server.url, uniqueName("alice"));
  const bob = await joinChat(server.url, uniqueName("bob"));
  const name = alice.user.name;
  for (const c of [alice, bob]) {
    expect((await api("POST", "/api/account/password", { password: STRONG }, c)).status).toBe(204);
  }
  expect((await api("GET", "/api/account", undefined, alice)).json).toEqual({
    user: alice.user,
    secured: true,
    password: true,
    passkeys: [],
  });
  const { room } = await callOk<{ room: { id: string } }>(alice.socket, "room:create", {
    name: uniqueName("den"),
    kind: "closed",
  });
  const whisper = await sendOk(alice.socket, { content: "just us", to: bob.user.name });
  const said = await sendOk(bob.socket, { content: "in the group" });
  await callOk(alice.socket, "read", { id: said.id });
  await callOk(alice.socket, "notify", { level: "none" });
  alice.socket.disconnect();
  bob.socket.disconnect();
  await awayFor(alice.token, 0);
  await awayFor(bob.token, 25);

  // Held with no session: someone else typing the name is asked for its password.
  const other = await api("POST", "/api/session", { name, avatar: "owl" });
  expect(other.status).toBe(401);
  expect(code(other)).toBe("bad_credentials");
  expect(
    code(await api("POST", "/api/session", { name, avatar: "owl", password: "not it at all" })),
  ).toBe("bad_credentials");
  // The old token is gone.
  expect((await api("GET", "/api/account", undefined, alice)).status).toBe(401);

  const back = await api("POST", "/api/session", { name: name.toUpperCase(), password: STRONG });
  expect(back.status).toBe(201);
  expect(back.json.user).toEqual(alice.user);
  const token = back.json.token as string;
  const { client, rooms } = await snapshotOf(token);
  expect(rooms.rooms.map((r) => r.id)).toEqual(["group", room.id]);
  const group = rooms.rooms[0];
  expect(group).toMatchObject({ lastRead: said.id, level: "none" });
  expect(rooms.directs).toEqual([
    expect.objectContaining({ user: bob.user, last: expect.objectContaining({ id: whisper.id }) }),
  ]);
  expect((await historyOf(client, { with: bob.user.name })).map((m) => m.content)).toEqual([
    "just us",
  ]);
  client.disconnect();
});

test("a guest that never secured is released after 24 hours, as in v2", async () => {
  const guest = await joinChat(server.url, uniqueName("guest"));
  const name = guest.user.name;
  guest.socket.disconnect();
  clock += 23 * HOUR;
  await server.chat.sessions.expire();
  expect(code(await api("POST", "/api/session", { name, avatar: "fox" }))).toBe("name_taken");
  clock += 2 * HOUR;
  await server.chat.sessions.expire();
  const next = await api("POST", "/api/session", { name, avatar: "fox" });
  expect(next.status).toBe(201);
  expect((next.json.user as { id: string }).id).not.toBe(guest.user.id);
  expect((await api("GET", "/api/account", undefined, guest)).status).toBe(401);
});

test("a secured session lasts SESSION_TTL_DAYS without a connection, and its cookie says so", async () => {
  const name = uniqueName("keeper");
  const { token } = await login(server.url, name);
  expect((await api("POST", "/api/account/password", { password: STRONG }, { token })).status).toBe(
    204,
  );
  const form = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ name, password: STRONG }),
    redirect: "manual",
  });
  expect(form.status).toBe(303);
  expect(form.headers.get("set-cookie")).toMatch(/Max-Age=2592000\b/);
  clock += 29 * 24 * HOUR;
  await server.chat.sessions.expire();
  expect((await api("GET", "/api/account", undefined, { token })).status).toBe(200);
  clock += 2 * 24 * HOUR;
  await server.chat.sessions.expire();
  expect((await api("GET", "/api/account", undefined, { token })).status).toBe(401);
  // The account is still there.
  expect((await api("POST", "/api/session", { name, password: STRONG })).status).toBe(201);
});

test("the login page asks a secured nickname for its password and signs in with it", async () => {
  const name = uniqueName("paged");
  const { token, user } = await login(server.url, name);
  await api("POST", "/api/account/password", { password: STRONG }, { token });
  const post = (fields: Record<string, string>) =>
    fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
  const asked = await post({ name, avatar: "fox" });
  expect(asked.status).toBe(401);
  const page = await asked.text();
  expect(page).toMatch(/role="alert"/);
  expect(page).toMatch(/<label for="password">Password<\/label>/);
  expect(page).toContain(`value="${name}"`);
  expect((await post({ name, password: "wrong password here" })).status).toBe(401);
  const ok = await post({ name, password: STRONG });
  expect(ok.status).toBe(303);
  const cookie = ok.headers.get("set-cookie")!.split(";")[0];
  const me = await fetch(`${server.url}/api/session`, { headers: { cookie } });
  expect(((await me.json()) as { user: { id: string } }).user.id).toBe(user.id);
});

test("passwords: weak ones refused, the current one needed to change it, never a 500", async () => {
  const { token } = await login(server.url, uniqueName("pw"));
  const set = (body: unknown) => api("POST", "/api/account/password", body, { token });
  for (const weak of [
    { password: "short" },
    { password: "qwertyuiop" }, // 10 characters, and among the most common
    { password: "Password12" },
    { password: 12345678901 },
    {},
    { password: "x".repeat(1025) },
  ]) {
    const r = await set(weak);
    expect([r.status, code(r)]).toEqual([400, "weak_password"]);
  }
  for (const junk of [null, [STRONG], "text"]) {
    expect(code(await set(junk))).toBe("bad_request");
  }
  expect((await api("POST", "/api/account/password", { password: STRONG })).status).toBe(401);
  expect((await set({ password: STRONG })).status).toBe(204);
  const change = "another long passphrase 7";
  for (const current of [undefined, "", "wrong but long enough", 42]) {
    const r = await set({ password: change, current });
    expect([r.status, code(r)]).toEqual([403, "bad_credentials"]);
  }
  expect((await set({ password: change, current: STRONG })).status).toBe(204);
  // The server still serves others.
  const other = await joinChat(server.url, uniqueName("still"));
  await sendOk(other.socket, { content: "still here" });
  other.socket.disconnect();
});

test("at most 10 failed checks per account in 15 minutes, from any address", async () => {
  const name = uniqueName("locked");
  const { token } = await login(server.url, name);
  await api("POST", "/api/account/password", { password: STRONG }, { token });
  const attempt = (password: string, ip: string) =>
    api("POST", "/api/session", { name, password }, { ip });
  for (let i = 0; i < 10; i++) {
    expect(code(await attempt(`wrong guess number ${i}`, "198.51.100.1"))).toBe("bad_credentials");
  }
  const eleventh = await attempt("wrong guess number 10", "203.0.113.9");
  expect([eleventh.status, code(eleventh)]).toEqual([429, "rate_limited"]);
  // Even the right password waits for the window to pass.
  expect(code(await attempt(STRONG, "203.0.113.9"))).toBe("rate_limited");
  // Others are not affected.
  expect(
    (await api("POST", "/api/session", { name: uniqueName("free"), avatar: "fox" })).status,
  ).toBe(201);
  clock += 15 * 60 * 1000 + 1;
  expect((await attempt(STRONG, "203.0.113.9")).status).toBe(201);
});

test("PATCH /api/account sets a built-in avatar and tells every socket", async () => {
  const alice = await joinChat(server.url, uniqueName("pic"));
  const bob = await joinChat(server.url, uniqueName("viewer"));
  const told = nextEvent(bob.socket, "user", ({ user }) => user.id === alice.user.id);
  const r = await api("PATCH", "/api/account", { avatar: "owl" }, alice);
  expect(r.json).toEqual({ user: { ...alice.user, avatar: "owl" } });
  expect((await told).user.avatar).toBe("owl");
  expect((await sendOk(alice.socket, { content: "new look" })).from.avatar).toBe("owl");
  for (const bad of [{ avatar: "custom:abc" }, { avatar: "nope" }, { avatar: 3 }, {}]) {
    const refused = await api("PATCH", "/api/account", bad, alice);
    expect([refused.status, code(refused)]).toEqual([400, "invalid_avatar"]);
  }
  expect(code(await api("PATCH", "/api/account", [1], alice))).toBe("bad_request");
  expect((await api("PATCH", "/api/account", { avatar: "owl" })).status).toBe(401);
  await sendOk(bob.socket, { content: "fine here" });
  alice.socket.disconnect();
  bob.socket.disconnect();
});

test("an admin's recovery link signs in as the user once; others are refused", async () => {
  const admin = await login(server.url, uniqueName("admin"));
  expect((await api("POST", "/api/admin", { code: server.config.adminCode }, admin)).status).toBe(
    200,
  );
  const lost = await login(server.url, uniqueName("lost"));
  await api("POST", "/api/account/password", { password: STRONG }, lost);
  await awayFor(lost.token, 1);
  const plain = await login(server.url, uniqueName("plain"));
  expect(code(await api("POST", "/api/admin/recovery", { name: lost.user.name }, plain))).toBe(
    "forbidden",
  );
  expect((await api("POST", "/api/admin/recovery", { name: "nobody-here" }, admin)).status).toBe(
    404,
  );
  expect((await api("POST", "/api/admin/recovery", { name: 5 }, admin)).status).toBe(404);
  const r = await api("POST", "/api/admin/recovery", { name: lost.user.name }, admin);
  expect(r.status).toBe(201);
  expect(r.json.url).toBe(`${server.url}/link/${r.json.code as string}`);
  expect(r.json.expiresAt).toBe(clock + 24 * HOUR);
  clock += 23 * HOUR;
  const used = await api("POST", "/api/session", { link: r.json.code });
  expect(used.status).toBe(201);
  expect(used.json.user).toEqual(lost.user);
  expect(code(await api("POST", "/api/session", { link: r.json.code }))).toBe("link_expired");
});

test("kick ends a secured user's sessions and keeps the account; ban refuses it", async () => {
  const admin = await joinChat(server.url, uniqueName("mod"));
  await api("POST", "/api/admin", { code: server.config.adminCode }, admin);
  const target = await joinChat(server.url, uniqueName("kept"));
  await api("POST", "/api/account/password", { password: STRONG }, target);
  const gone = new Promise<void>((resolve) => target.socket.once("disconnect", () => resolve()));
  await callOk(admin.socket, "moderate", { action: "kick", name: target.user.name });
  await gone;
  expect((await api("GET", "/api/account", undefined, target)).status).toBe(401);
  const again = await api("POST", "/api/session", { name: target.user.name, password: STRONG });
  expect(again.json.user).toEqual(target.user);
  await callOk(admin.socket, "moderate", { action: "ban", name: target.user.name, minutes: 5 });
  const banned = await api("POST", "/api/session", { name: target.user.name, password: STRONG });
  expect([banned.status, code(banned)]).toEqual([403, "banned"]);
  await callOk(admin.socket, "moderate", { action: "unban", name: target.user.name });
  expect(
    (await api("POST", "/api/session", { name: target.user.name, password: STRONG })).json.user,
  ).toEqual(target.user);
  admin.socket.disconnect();
});
