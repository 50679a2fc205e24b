// Generated requests for every HTTP route: JSON, forms, multipart, garbage bodies and odd
// headers. Every answer has a status the route allows, a contract error body, no stack, no
// 500; the server stays up and a bystander keeps receiving every message.
import http from "node:http";
import fc from "fast-check";
import { ErrorCodes } from "../../common/events";
import { login } from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { STACK, Witnesses } from "./bystander";
import { anyValue, nastyString, shapedObject } from "./payloads";
import { FUZZ_ENV, fuzzParams, fuzzTimeout } from "./runs";
import { HTTP_ROUTES, type Route } from "./surface";

const RUNS = 300;
const CODES = new Set<string>(Object.values(ErrorCodes));

type Reply = { status: number; headers: http.IncomingHttpHeaders; body: string };

function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // `path` as given, not through URL parsing (which would resolve "..").
    const { hostname, port } = new URL(url);
    const req = http.request({ hostname, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

const param = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constantFrom("%", "%00", "%ff", "..", "a%2Fb", "0".repeat(32), "f".repeat(32)),
  fc.stringMatching(/^[0-9a-f]{32}$/),
);

function multipart(boundary: string, parts: { name: string; file?: string; data: Buffer }[]) {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = p.file === undefined ? "" : `; filename="${p.file}"`;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${disposition}\r\n\r\n`,
      ),
      p.data,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));

/** A body and the content type it claims (which may be a lie). */
const body: fc.Arbitrary<{ type?: string; data?: Buffer }> = fc.oneof(
  fc.constant({}),
  anyValue.map((v) => ({ type: "application/json", data: Buffer.from(JSON.stringify(v) ?? "") })),
  shapedObject.map((o) => ({
    type: "application/json",
    data: Buffer.from(JSON.stringify(o)),
  })),
  fc
    .dictionary(fc.constantFrom("name", "avatar", "code", "everywhere", "link"), nastyString)
    .map((o) => ({
      type: "application/x-www-form-urlencoded",
      data: Buffer.from(new URLSearchParams(o).toString()),
    })),
  fc
    .tuple(
      fc.constantFrom("b0undary", "x", "-".repeat(70)),
      fc.array(
        fc.record({
          name: fc.constantFrom("file", "other", ""),
          file: fc.option(fc.constantFrom("a.png", "../../x", "\u202egnp.exe", ""), {
            nil: undefined,
          }),
          data: bytes,
        }),
        { maxLength: 3 },
      ),
    )
    .map(([b, parts]) => ({
      type: `multipart/form-data; boundary=${b}`,
      data: multipart(b, parts),
    })),
  fc.record({
    type: fc.constantFrom(
      "application/json",
      "application/json; charset=utf-16",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
      "multipart/form-data; boundary=",
      "text/plain",
      "application/octet-stream",
      "",
    ),
    data: fc
      .oneof(
        bytes,
        fc.constantFrom("{", "[]", "null", '{"__proto__":{"admin":true}}', "a=1&a=2&a[b]=3"),
        fc.integer({ min: 16 * 1024, max: 40 * 1024 }).map((n) => "{" + '"a":1,'.repeat(n / 6)),
      )
      .map((d) => (typeof d === "string" ? Buffer.from(d) : d)),
  }),
);

const headers = fc.record(
  {
    origin: fc.constantFrom("http://evil.example", "null", "http://127.0.0.1", ""),
    cookie: fc.constantFrom("chat_sid=garbage", "chat_sid=s:abc.def", "chat_sid=", "a=b; c"),
    auth: fc.constantFrom("valid", "Bearer ", "Bearer x", "Basic Zm9vOmJhcg==", "bearer"),
    "accept-language": fc.constantFrom("zh", "zh-CN,zh;q=0.9", "*", ";;;", "x".repeat(300)),
    "x-forwarded-for": fc.constantFrom("1.2.3.4", "::1", "garbage", "1.1.1.1, 2.2.2.2"),
    "sec-fetch-site": fc.constantFrom("cross-site", "same-origin", "none"),
    accept: fc.constantFrom("text/html", "application/json", "*/*"),
  },
  { requiredKeys: [] },
);

/** Why a reply breaks the contract, or null. */
function badReply(route: Route, reply: Reply): string | null {
  // Any route may refuse a body it cannot read (400) or a foreign origin (403).
  if (!route.statuses.includes(reply.status) && reply.status !== 400 && reply.status !== 403) {
    return `status ${reply.status}`;
  }
  if (STACK.test(reply.body)) return `a stack in the body`;
  const type = String(reply.headers["content-type"] ?? "");
  if (reply.status >= 400 && type.startsWith("application/json")) {
    const parsed = JSON.parse(reply.body) as { error?: { code?: unknown; message?: unknown } };
    if (!CODES.has(String(parsed.error?.code)) || typeof parsed.error?.message !== "string") {
      return `error body ${reply.body}`;
    }
  }
  return null;
}

describe("fuzzing every HTTP route", () => {
  let server: TestServer;
  let witnesses: Witnesses;
  let token = "";

  /** A live token for the fuzzer (the fuzzer may end its own session). */
  async function liveToken(): Promise<string> {
    const res = await send(server.url, "GET", "/api/session", { authorization: `Bearer ${token}` });
    if (res.status !== 200) ({ token } = await login(server.url));
    return token;
  }

  beforeAll(async () => {
    server = await startServer(FUZZ_ENV);
    witnesses = await Witnesses.start(server.url);
  });

  afterAll(async () => {
    witnesses.close();
    await server.close();
  });

  it(
    "answers every request with an allowed status and body and loses nothing for others",
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...HTTP_ROUTES),
          fc.array(param, { minLength: 1, maxLength: 1 }),
          body,
          headers,
          async (route, [p], b, h) => {
            const path = route.path.replace(/:\w+/g, encodeURIComponent(p).replace(/%25/g, "%"));
            const sent: Record<string, string> = {};
            for (const [k, v] of Object.entries(h)) if (k !== "auth" && v !== "") sent[k] = v;
            if (h.auth === "valid") sent.authorization = `Bearer ${await liveToken()}`;
            else if (h.auth) sent.authorization = h.auth;
            if (b.type) sent["content-type"] = b.type;
            const data = route.method === "GET" ? undefined : b.data;
            const reply = await send(server.url, route.method, path, sent, data);
            statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
            expect({ route: `${route.method} ${route.path}`, bad: badReply(route, reply) }).toEqual(
              {
                route: `${route.method} ${route.path}`,
                bad: null,
              },
            );
            await witnesses.ping();
          },
        ),
        fuzzParams(RUNS),
      );
      expect(statuses.size).toBeGreaterThan(3);
      await witnesses.verify();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    },
    fuzzTimeout(RUNS, 30),
  );
});
