// Generated payloads for every client event, with and without an ack: every ack is ok or a
// code of the contract, the server stays up, and a bystander keeps receiving every message.
import fc from "fast-check";
import { LIMITS } from "../../common/events";
import { connect, connected, login, type ClientSocket } from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { badAck, Witnesses } from "./bystander";
import { payload } from "./payloads";
import { FUZZ_ENV, fuzzParams, fuzzTimeout } from "./runs";
import { SOCKET_EVENTS } from "./surface";

const RUNS = 300;

type Outcome =
  { kind: "ack"; ack: unknown } | { kind: "disconnected"; reason: string } | { kind: "timeout" };

/** Emits and waits for the ack, the connection's end, or a timeout. */
function emitWithAck(socket: ClientSocket, event: string, p: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const done = (o: Outcome) => {
      clearTimeout(timer);
      socket.off("disconnect", onDisconnect);
      resolve(o);
    };
    const onDisconnect = (reason: string) => done({ kind: "disconnected", reason });
    const timer = setTimeout(() => done({ kind: "timeout" }), 5000);
    socket.on("disconnect", onDisconnect);
    const emit = socket.emit as (ev: string, ...args: unknown[]) => void;
    if (p === undefined) emit.call(socket, event, (ack: unknown) => done({ kind: "ack", ack }));
    else emit.call(socket, event, p, (ack: unknown) => done({ kind: "ack", ack }));
  });
}

/** Roughly the packet's size on the wire, to tell a legitimate close for size. */
function wireSize(event: string, p: unknown): number {
  const text = JSON.stringify([event, p], (_k, v: unknown) =>
    typeof v === "object" && v !== null && (v as { type?: string }).type === "Buffer" ? 0 : v,
  );
  return Buffer.byteLength(text ?? "");
}

/** Buffers in a payload: each travels as one binary attachment. */
function buffersIn(v: unknown): number {
  if (Buffer.isBuffer(v)) return 1;
  if (typeof v !== "object" || v === null) return 0;
  return Object.values(v).reduce((n: number, x) => n + buffersIn(x), 0);
}

describe("fuzzing every Socket.IO event", () => {
  let server: TestServer;
  let witnesses: Witnesses;
  let token: string;
  let fuzzer: ClientSocket;

  async function fuzzerSocket(): Promise<ClientSocket> {
    if (fuzzer?.connected) return fuzzer;
    fuzzer = connect(server.url, token);
    await connected(fuzzer);
    return fuzzer;
  }

  beforeAll(async () => {
    server = await startServer(FUZZ_ENV);
    witnesses = await Witnesses.start(server.url);
    ({ token } = await login(server.url));
    // An admin, so `moderate`, deletes and room management run past their access checks.
    const res = await fetch(`${server.url}/api/admin`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ code: FUZZ_ENV.ADMIN_CODE }),
    });
    expect(res.status).toBe(200);
  });

  afterAll(async () => {
    fuzzer?.disconnect();
    witnesses.close();
    await server.close();
  });

  it(
    "answers every payload with ok or a contract code and loses nothing for others",
    async () => {
      let acked = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SOCKET_EVENTS),
          payload,
          fc.boolean(),
          async (event, p, withAck) => {
            const socket = await fuzzerSocket();
            let outcome: Outcome;
            if (withAck) outcome = await emitWithAck(socket, event, p);
            else {
              (socket.emit as (ev: string, ...a: unknown[]) => void)(event, p);
              // A probe right after: answered, unless the payload closed the connection.
              const probe = await emitWithAck(socket, "room:list", {});
              outcome = probe.kind === "ack" ? { kind: "ack", ack: { ok: true } } : probe;
            }
            if (outcome.kind === "timeout") throw new Error(`${event}: no ack`);
            if (outcome.kind === "disconnected") {
              // Only an oversized packet, or one with more binary attachments than the parser
              // takes (socket.io-parser's maxAttachments, 10), may end the connection.
              const oversized = wireSize(event, p) > LIMITS.maxPayloadBytes - 64;
              expect({ oversized, buffers: buffersIn(p) > 10 }).not.toEqual({
                oversized: false,
                buffers: false,
              });
            } else {
              expect(badAck(outcome.ack)).toBeNull();
              acked++;
            }
            await witnesses.ping();
          },
        ),
        fuzzParams(RUNS),
      );
      expect(acked).toBeGreaterThan(0);
      await witnesses.verify();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    },
    fuzzTimeout(RUNS, 30),
  );
});
