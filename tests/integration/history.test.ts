import request from "supertest";
import { joinChat, send, sendOk, historyOf, type Client } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let a: Client, b: Client, c: Client;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000" });
  [a, b, c] = [await joinChat(server.url), await joinChat(server.url), await joinChat(server.url)];
  for (let i = 0; i < 120; i++) ids.push((await sendOk(a.socket, { content: `g${i}` })).id);
  await sendOk(a.socket, { content: "a to b", to: b.user.name });
  await sendOk(b.socket, { content: "b to a", to: a.user.name });
  await sendOk(a.socket, { content: "a to c", to: c.user.name });
});
afterAll(async () => {
  for (const x of [a, b, c]) x.socket.close();
  await server.close();
});

const contents = (ms: { content: string }[]) => ms.map((m) => m.content);

describe("history of the group room", () => {
  it("defaults to the newest 50, oldest first", async () => {
    const ms = await historyOf(b.socket);
    expect(ms).toHaveLength(50);
    expect(ms[0].content).toBe("g70");
    expect(ms[49].content).toBe("g119");
    expect(ms.every((m) => m.to === undefined)).toBe(true);
  });

  it("limit, before and after page through it", async () => {
    expect(contents(await historyOf(b.socket, { limit: 2 }))).toEqual(["g118", "g119"]);
    expect(contents(await historyOf(b.socket, { before: ids[10], limit: 3 }))).toEqual([
      "g7",
      "g8",
      "g9",
    ]);
    expect(contents(await historyOf(b.socket, { after: ids[10], limit: 3 }))).toEqual([
      "g11",
      "g12",
      "g13",
    ]);
    expect(await historyOf(b.socket, { after: ids[119] })).toEqual([]);
    expect(await historyOf(b.socket, { limit: 100 })).toHaveLength(100);
  });

  it("walking back with before reaches the first message without gaps", async () => {
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await historyOf(b.socket, before ? { before, limit: 40 } : { limit: 40 });
      if (page.length === 0) break;
      seen.unshift(...contents(page));
      before = page[0].id;
    }
    expect(seen).toEqual(ids.map((_, i) => `g${i}`));
  });

  it.each([
    ["before with after", { before: "1", after: "2" }],
    ["limit 0", { limit: 0 }],
    ["limit 101", { limit: 101 }],
    ["limit not an integer", { limit: 1.5 }],
    ["limit a string", { limit: "5" }],
    ["before a number", { before: 5 }],
    ["after over 64 characters", { after: "1".repeat(65) }],
    ["with a number", { with: 1 }],
    ["a string payload", "x"],
  ])("%s: invalid", async (_label, payload) => {
    const ack = await send(b.socket, payload, "history");
    expect(ack).toEqual({ ok: false, error: { code: "invalid", message: expect.any(String) } });
    expect((await historyOf(b.socket, { limit: 1 })).length).toBe(1);
  });
});

describe("history of a private conversation", () => {
  it("is the pair's messages in both directions, from either side", async () => {
    expect(contents(await historyOf(a.socket, { with: b.user.name }))).toEqual([
      "a to b",
      "b to a",
    ]);
    expect(contents(await historyOf(b.socket, { with: a.user.name.toUpperCase() }))).toEqual([
      "a to b",
      "b to a",
    ]);
  });

  it("nobody reads a conversation they are not in", async () => {
    expect(contents(await historyOf(c.socket, { with: b.user.name }))).toEqual([]);
    expect(contents(await historyOf(c.socket, { with: a.user.name }))).toEqual(["a to c"]);
  });

  it("with a nickname nobody holds: unknown_recipient", async () => {
    const ack = await send(a.socket, { with: "ghost-of-nobody" }, "history");
    expect(ack.ok === false && ack.error.code).toBe("unknown_recipient");
  });

  it("a released nickname taken again does not expose the earlier holder's conversation", async () => {
    const carol = await joinChat(server.url);
    await sendOk(a.socket, { content: "for the first carol", to: carol.user.name });
    await request(server.url)
      .delete("/api/session")
      .set("authorization", `Bearer ${carol.token}`)
      .expect(204);
    const impostor = await joinChat(server.url, carol.user.name);
    expect(impostor.user.id).not.toBe(carol.user.id);
    expect(await historyOf(impostor.socket, { with: a.user.name })).toEqual([]);
    expect(contents(await historyOf(a.socket, { with: carol.user.name }))).toEqual([]);
    impostor.socket.close();
  });
});
