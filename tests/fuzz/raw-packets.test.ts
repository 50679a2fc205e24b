// Raw Engine.IO / Socket.IO frames from a bare `ws` client: malformed packets, binary
// placeholders and attachment counts, unknown namespaces, wrong packet types, oversized
// frames and the known parser CVE shapes. The server stays up, answers acks only with
// contract codes, and a bystander keeps receiving every message.
import fc from "fast-check";
import WebSocket from "ws";
import { login } from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { badAck, Witnesses } from "./bystander";
import { FUZZ_ENV, fuzzParams, fuzzTimeout } from "./runs";
import { SOCKET_EVENTS } from "./surface";

const RUNS = 200;

const deep = (n: number, open = "[", close = "]") => open.repeat(n) + '"x"' + close.repeat(n);

/** Shapes from published advisories and parser bugs. */
const KNOWN: string[] = [
  // CVE-2022-2421: placeholders that are not numbers or out of bounds.
  '451-["textmsg",{"_placeholder":true,"num":99}]',
  '451-["textmsg",{"_placeholder":true,"num":"splice"}]',
  '451-["textmsg",{"_placeholder":true,"num":-1}]',
  '451-["textmsg",{"_placeholder":true,"num":"__proto__"}]',
  '451-["textmsg",{"_placeholder":true}]',
  '450-["textmsg",{"_placeholder":true,"num":0}]',
  // CVE-2020-36049 / huge attachment counts.
  '4599999999999999-["textmsg",{"content":"x"}]',
  '451e309-["textmsg",{}]',
  '45-1-["textmsg",{}]',
  // CVE-2023-32695: an event name that is not a string.
  '42[{"toString":"foo"}]',
  '42[{"toString":{"a":1}},{}]',
  "42[1]",
  "42[null]",
  "42[]",
  '42{"a":1}',
  // CVE-2024-38355: reserved or special event names from the client.
  '42["error"]',
  '42["error",{}]',
  '42["connect"]',
  '42["disconnect"]',
  '42["disconnecting"]',
  '42["newListener","textmsg"]',
  '42["__proto__",{}]',
  '42["constructor",{}]',
  '42["hasOwnProperty",{}]',
  // Acks the server never asked for, and odd ack ids.
  "43[]",
  "431[]",
  '4399999999999999999999["x"]',
  '42-1["history",{}]',
  '421.5["history",{}]',
  // Namespaces.
  "40/nope,",
  '40/nope,{"token":"x"}',
  '42/nope,["textmsg",{"content":"x"}]',
  "41/nope,",
  "40",
  "44",
  '44{"message":"x"}',
  "41",
  // Wrong and unknown packet types, Engine.IO level.
  "47",
  "4a",
  "4",
  "",
  "0",
  "1",
  "2",
  "2probe",
  "3",
  "5",
  "6",
  "7",
  "9",
  "b4AAAA",
  // Truncated and broken JSON.
  '42["textmsg",{"content":"x"}',
  '42["textmsg",',
  "42nonjson",
  '42["textmsg","\\ud800"]',
  // Deep nesting (under the 16 KiB limit), plain and with a placeholder inside.
  `42["textmsg",${deep(7000)}]`,
  `42["history",${deep(4000, '{"a":', "}")}]`,
  `451-["textmsg",${deep(7000).replace('"x"', '{"_placeholder":true,"num":0}')}]`,
];

/** Binary events with their attachment frames: reconstruction with bad or deep placeholders. */
const WITH_ATTACHMENTS: (string | Buffer)[][] = [
  ['451-["textmsg",{"_placeholder":true,"num":0}]', Buffer.from("x")],
  ['451-["textmsg",{"_placeholder":true,"num":99}]', Buffer.from("x")],
  ['451-["textmsg",{"_placeholder":true,"num":"splice"}]', Buffer.from("x")],
  ['451-["textmsg",{"_placeholder":true,"num":"__proto__"}]', Buffer.from("x")],
  ['452-["textmsg",{"_placeholder":true,"num":1}]', Buffer.from("x")],
  [
    `451-["textmsg",${deep(7000).replace('"x"', '{"_placeholder":true,"num":0}')}]`,
    Buffer.from("x"),
  ],
  [
    `451-["textmsg",${deep(3000, '{"a":', "}").replace('"x"', '{"_placeholder":true,"num":0}')}]`,
    Buffer.alloc(0),
  ],
];

/** Frames that end the Socket.IO session but not the connection: the probe gets no answer. */
const LEAVES_NAMESPACE = new Set(["41"]);

const eventName = fc.oneof(fc.constantFrom(...SOCKET_EVENTS), fc.string({ maxLength: 20 }));

/** A frame: a known shape, a generated Socket.IO packet, garbage, binary or oversized. */
const frame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KNOWN) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9 }),
        fc.option(fc.nat(5), { nil: undefined }),
        fc.constantFrom("", "/", "/admin,", "/nope,"),
        fc.option(fc.nat(), { nil: undefined }),
        eventName,
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map(
        ([type, att, nsp, id, ev, data]) =>
          `4${type}${att === undefined ? "" : `${att}-`}${nsp}${id ?? ""}${JSON.stringify([ev, data])}`,
      ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 16 * 1024, max: 64 * 1024 })
      .map((n) => `42["textmsg",{"content":"${"x".repeat(n)}"}]`),
  },
);

type Raw = { ws: WebSocket; frames: string[]; closed: Promise<void> };

/** A bare WebSocket that did the Engine.IO and Socket.IO handshakes with `token`. */
async function rawClient(url: string, token: string): Promise<Raw> {
  const ws = new WebSocket(`${url.replace("http", "ws")}/socket.io/?EIO=4&transport=websocket`);
  const frames: string[] = [];
  const closed = new Promise<void>((resolve) => ws.on("close", () => resolve()));
  ws.on("error", () => {});
  ws.on("message", (data) => {
    const text = data.toString();
    frames.push(text);
    if (text === "2") ws.send("3");
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  ws.send(`40${JSON.stringify({ token })}`);
  const deadline = Date.now() + 5000;
  while (!frames.some((f) => f.startsWith("40{"))) {
    if (Date.now() > deadline) throw new Error(`no connect: ${frames.join(" | ")}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ws, frames, closed };
}

/** Sends a `room:list` call with ack id `id`: answered, the connection closed, or silence. */
async function probe(raw: Raw, id: number): Promise<"answered" | "closed" | "silent"> {
  if (raw.ws.readyState === WebSocket.OPEN) raw.ws.send(`42${id}["room:list",{}]`);
  const deadline = Date.now() + 2000;
  for (;;) {
    if (raw.frames.some((f) => f.startsWith(`43${id}[`))) return "answered";
    if (raw.ws.readyState !== WebSocket.OPEN) return "closed";
    if (Date.now() > deadline) return "silent";
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The acks the server sent on this connection. */
function acksIn(frames: string[]): unknown[] {
  return frames
    .filter((f) => /^43\d+\[/.test(f))
    .map((f) => (JSON.parse(f.replace(/^43\d+/, "")) as unknown[])[0]);
}

describe("fuzzing raw Engine.IO / Socket.IO frames", () => {
  let server: TestServer;
  let witnesses: Witnesses;
  let token: string;

  beforeAll(async () => {
    server = await startServer(FUZZ_ENV);
    witnesses = await Witnesses.start(server.url);
    ({ token } = await login(server.url));
  });

  afterAll(async () => {
    witnesses.close();
    await server.close();
  });

  it(
    "survives every frame, acks only with contract codes, and loses nothing for others",
    async () => {
      let probesAnswered = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 5, arbitrary: fc.array(frame, { minLength: 1, maxLength: 4 }) },
            { weight: 1, arbitrary: fc.constantFrom(...WITH_ATTACHMENTS) },
          ),
          async (frames) => {
            const raw = await rawClient(server.url, token);
            for (const f of frames) if (raw.ws.readyState === WebSocket.OPEN) raw.ws.send(f);
            // A well-formed call after the garbage: answered, unless the connection was closed.
            if ((await probe(raw, 77)) === "answered") probesAnswered++;
            for (const ack of acksIn(raw.frames)) expect(badAck(ack)).toBeNull();
            raw.ws.terminate();
            await raw.closed;
            await witnesses.ping();
          },
        ),
        fuzzParams(RUNS),
      );
      expect(probesAnswered).toBeGreaterThan(0);
      await witnesses.verify();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    },
    fuzzTimeout(RUNS, 50),
  );

  it("answers each known shape, or closes, or (having left the namespace) stays silent", async () => {
    const outcomes: Record<string, string> = {};
    for (const frames of [...KNOWN.map((f) => [f]), ...WITH_ATTACHMENTS]) {
      const raw = await rawClient(server.url, token);
      for (const f of frames) raw.ws.send(f);
      const outcome = await probe(raw, 78);
      const name = String(frames[0]).slice(0, 60) + (frames.length > 1 ? " +binary" : "");
      outcomes[name] = outcome;
      expect({ name, silent: outcome === "silent" }).toEqual({
        name,
        silent: LEAVES_NAMESPACE.has(String(frames[0])),
      });
      for (const ack of acksIn(raw.frames)) expect(badAck(ack)).toBeNull();
      raw.ws.terminate();
      await raw.closed;
    }
    if (process.env.FUZZ_RUNS) console.log(outcomes);
    await witnesses.ping();
    await witnesses.verify();
  });
});
