// Search over real sockets: every term as a case-insensitive substring, newest first, only in
// conversations the caller may read.
import type { Message, Room } from "../../common/events";
import { callOk, errorCode, joinChat, sendOk, uniqueName, type Client } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_LIMIT_MESSAGES: "1000" });
});
afterAll(() => server.close());

const clients: Client[] = [];
async function join(): Promise<Client> {
  const c = await joinChat(server.url);
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.close();
});

async function search(c: Client, payload: Record<string, unknown>): Promise<Message[]> {
  return (await callOk<{ messages: Message[] }>(c.socket, "search", payload)).messages;
}

describe("search", () => {
  it("matches every term as a case-insensitive substring, Chinese included, newest first", async () => {
    const a = await join();
    const tag = uniqueName("zq").replace(/[^a-z0-9]/gi, "");
    const m1 = await sendOk(a.socket, { content: `Quarterly REPORT ${tag}` });
    const m2 = await sendOk(a.socket, { content: `the report is late ${tag}` });
    await sendOk(a.socket, { content: `nothing to see ${tag}` });
    const zh = await sendOk(a.socket, { content: `今天天气很好${tag}，我们去公园吧` });
    expect((await search(a, { q: `report ${tag.toUpperCase()}` })).map((m) => m.id)).toEqual([
      m2.id,
      m1.id,
    ]);
    expect((await search(a, { q: `${tag} 天气` })).map((m) => m.id)).toEqual([zh.id]);
    expect((await search(a, { q: `公园 ${tag}` })).map((m) => m.id)).toEqual([zh.id]);
    // Terms shorter than three characters work too.
    expect((await search(a, { q: `天 ${tag}` })).map((m) => m.id)).toEqual([zh.id]);
    expect((await search(a, { q: "园吧" })).map((m) => m.id)).toContain(zh.id);
    // Paging back with before, and limit.
    expect((await search(a, { q: tag, limit: 2 })).map((m) => m.id)).toHaveLength(2);
    expect((await search(a, { q: `report ${tag}`, before: m2.id })).map((m) => m.id)).toEqual([
      m1.id,
    ]);
  });

  it("never returns others' private messages or closed rooms of others", async () => {
    const [a, b, outsider] = [await join(), await join(), await join()];
    const word = uniqueName("needle").replace(/[^a-z0-9]/gi, "");
    const priv = await sendOk(a.socket, { content: `private ${word}`, to: b.user.name });
    const { room } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("r"),
      kind: "closed",
      members: [b.user.name],
    });
    const closed = await sendOk(a.socket, { content: `closed ${word}`, room: room.id });
    const { room: open } = await callOk<{ room: Room }>(a.socket, "room:create", {
      name: uniqueName("o"),
      kind: "open",
    });
    const openMsg = await sendOk(a.socket, { content: `open ${word}`, room: open.id });
    const group = await sendOk(a.socket, { content: `group ${word}` });

    const ids = async (c: Client, extra = {}) =>
      (await search(c, { q: word, ...extra })).map((m) => m.id);
    expect(await ids(b)).toEqual([group.id, openMsg.id, closed.id, priv.id]);
    expect(await ids(outsider)).toEqual([group.id, openMsg.id]);
    expect(await ids(b, { room: room.id })).toEqual([closed.id]);
    expect(await ids(b, { with: a.user.name })).toEqual([priv.id]);
    expect(await errorCode(outsider.socket, "search", { q: word, room: room.id })).toBe(
      "not_found",
    );
    // `with` is the caller's own conversation with that user: nothing of a and b's.
    expect(await ids(outsider, { with: a.user.name })).toEqual([]);
  });

  it("refuses bad payloads with invalid and keeps serving", async () => {
    const a = await join();
    for (const payload of [
      {},
      { q: "" },
      { q: "   " },
      { q: "x".repeat(101) },
      { q: 5 },
      { q: "ok", limit: 0 },
      { q: "ok", limit: 51 },
      { q: "ok", before: "" },
      { q: "ok", before: "1".repeat(65) },
      { q: "ok", room: "group", with: a.user.name },
    ]) {
      expect([payload, await errorCode(a.socket, "search", payload)]).toEqual([payload, "invalid"]);
    }
    expect(await errorCode(a.socket, "search", { q: "ok" })).toBe("ok");
  });
});
