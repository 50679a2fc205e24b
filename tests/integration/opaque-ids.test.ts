// Ids are opaque to clients (issue 20): any string of 1 to 64 characters is a well-formed id,
// and one that is not stored (or not visible) is `not_found`; `invalid` is only for a
// non-string, an empty or a longer one. Message ids, room ids and upload ids alike, on SQLite
// and on PostgreSQL (where an id of another form must never reach a bigint cast).
import type { Message } from "../../common/events";
import { PgStore } from "../../server/store/pg-store";
import {
  callOk,
  errorCode,
  joinChat,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startPostgres, type PostgresService } from "../support/services";
import { startServer, type TestServer } from "../support/server";

/** An id of no form the store issues. */
const UNKNOWN = "zz98xilxhh5vj5";
/** Well formed, never stored: ids the server could not have issued, up to the longest. */
const NOT_STORED = [UNKNOWN, "z".repeat(64), "9".repeat(20), "-1", "1e3"];
/** Not ids at all. */
const MALFORMED: [string, unknown][] = [
  ["empty", ""],
  ["65 characters", "z".repeat(65)],
  ["a number", 12345],
];

const LIMITS = {
  RATE_LIMIT_MESSAGES: "1000",
  REACTION_RATE_LIMIT: "1000",
  READ_RATE_LIMIT: "1000",
  READ_MARK_RATE_LIMIT: "1000",
  ROOM_RATE_LIMIT: "1000",
};

type Case = [event: string, payload: (id: unknown) => unknown];

/** Every event that takes a message id from the client. */
const MESSAGE_ID_CASES: Case[] = [
  ["message:edit", (id) => ({ id, content: "edited" })],
  ["message:delete", (id) => ({ id })],
  ["message:react", (id) => ({ id, emoji: "👍" })],
  ["textmsg", (replyTo) => ({ content: "a reply to nothing", replyTo })],
  ["read", (id) => ({ id })],
  ["history", (before) => ({ before })],
  ["history", (after) => ({ after })],
  ["search", (before) => ({ q: "hello", before })],
];

/** Every event that takes a room id (`name`: a user to add). */
const roomIdCases = (name: string): Case[] => [
  ["room:join", (room) => ({ room })],
  ["room:leave", (room) => ({ room })],
  ["room:add", (room) => ({ room, name })],
  ["room:update", (room) => ({ room, topic: "a topic" })],
  ["room:delete", (room) => ({ room })],
  ["room:members", (room) => ({ room })],
  ["history", (room) => ({ room })],
  ["textmsg", (room) => ({ content: "to no room", room })],
  ["read", (room) => ({ room, id: "0000000000000001" })],
  ["search", (room) => ({ q: "hello", room })],
];

const BACKENDS: [string, () => Promise<{ store?: PgStore; stop?: () => Promise<void> }>][] = [
  ["SQLite", async () => ({})],
  [
    "PostgreSQL",
    async () => {
      const pg: PostgresService = await startPostgres();
      const store = new PgStore({ connectionString: await pg.createDatabase() });
      return { store, stop: () => pg.dispose() };
    },
  ],
];

describe.each(BACKENDS)("opaque ids on %s", (_backend, backing) => {
  let server: TestServer;
  let stopBacking: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const { store, stop } = await backing();
    stopBacking = stop;
    server = await startServer(LIMITS, store ? { store } : {});
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await stopBacking?.();
  });

  const clients: Client[] = [];
  async function join(): Promise<Client> {
    const c = await joinChat(server.url);
    clients.push(c);
    return c;
  }
  afterEach(() => {
    for (const c of clients.splice(0)) c.socket.close();
  });

  /** Each answer, labelled, so a failure names the event and the id. */
  async function answers(c: Client, cases: Case[], ids: unknown[]) {
    const seen: [string, unknown, string][] = [];
    for (const [event, payload] of cases) {
      for (const id of ids)
        seen.push([event, payload(id), await errorCode(c.socket, event, payload(id))]);
    }
    return seen;
  }
  const expecting = (cases: Case[], ids: unknown[], code: string) =>
    cases.flatMap(([event, payload]) => ids.map((id) => [event, payload(id), code]));

  /**
   * The server still serves `a` and `b` both ways: a send is acked and heard by the other, and
   * none of the refused messages reached anyone (delivery is in order, so they would be first).
   */
  async function stillServes(a: Client, b: Client): Promise<void> {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const content = uniqueName("still-here");
      const heard = nextEvent(to.socket, "textmsg", (m: Message) => m.content === content);
      const sent = await sendOk(from.socket, { content });
      expect((await heard).id).toBe(sent.id);
    }
    for (const c of [a, b]) {
      expect(c.received.filter((m) => !m.content.startsWith("still-here"))).toEqual([]);
    }
  }

  it("an unknown message id is not_found; empty, over 64 characters or not a string is invalid", async () => {
    const [a, b] = [await join(), await join()];
    expect(await answers(a, MESSAGE_ID_CASES, NOT_STORED)).toEqual(
      expecting(MESSAGE_ID_CASES, NOT_STORED, "not_found"),
    );
    const malformed = MALFORMED.map(([, id]) => id);
    expect(await answers(a, MESSAGE_ID_CASES, malformed)).toEqual(
      expecting(MESSAGE_ID_CASES, malformed, "invalid"),
    );
    await stillServes(a, b);
  });

  it("a stored-form id that is not stored keeps its behaviour: a position for cursors and marks", async () => {
    const [a, b] = [await join(), await join()];
    const heard = nextEvent(b.socket, "textmsg", (x: Message) => x.content === "positioned hello");
    const m = await sendOk(a.socket, { content: "positioned hello" });
    expect((await heard).id).toBe(m.id);
    const beyond = "9999999999999999";
    const history = (q: object) =>
      callOk<{ messages: Message[] }>(a.socket, "history", q).then((r) => r.messages);
    expect((await history({ before: beyond, limit: 1 })).map((x) => x.id)).toEqual([m.id]);
    expect(await history({ after: beyond })).toEqual([]);
    const found = await callOk<{ messages: Message[] }>(a.socket, "search", {
      q: "positioned",
      before: beyond,
    });
    expect(found.messages.map((x) => x.id)).toEqual([m.id]);
    expect(await errorCode(b.socket, "read", { id: beyond })).toBe("ok");
    expect(await errorCode(a.socket, "message:edit", { id: beyond, content: "x" })).toBe(
      "not_found",
    );
    // The same message by its id: every action still finds it.
    expect(await errorCode(b.socket, "message:react", { id: m.id, emoji: "👍" })).toBe("ok");
    expect(await errorCode(a.socket, "message:edit", { id: m.id, content: "edited" })).toBe("ok");
    const reply = await sendOk(b.socket, { content: "a reply", replyTo: m.id });
    expect(reply.replyTo?.id).toBe(m.id);
  });

  it("an unknown room id is not_found up to 64 characters; empty, 65 or a number is invalid", async () => {
    const [a, b] = [await join(), await join()];
    const cases = roomIdCases(b.user.name);
    const unknown = [UNKNOWN, "r".repeat(64)];
    expect(await answers(a, cases, unknown)).toEqual(expecting(cases, unknown, "not_found"));
    const malformed = MALFORMED.map(([, id]) => id);
    expect(await answers(a, cases, malformed)).toEqual(expecting(cases, malformed, "invalid"));
    await stillServes(a, b);
  });

  it("an unknown upload id is not_found; empty, 65 characters or a number is invalid", async () => {
    const [a, b] = [await join(), await join()];
    const attach = (id: unknown) => ({ content: "with a file", attachments: [id] });
    for (const id of [UNKNOWN, "u".repeat(64)]) {
      expect([id, await errorCode(a.socket, "textmsg", attach(id))]).toEqual([id, "not_found"]);
    }
    for (const [label, id] of MALFORMED) {
      expect([label, await errorCode(a.socket, "textmsg", attach(id))]).toEqual([label, "invalid"]);
    }
    await stillServes(a, b);
  });
});
