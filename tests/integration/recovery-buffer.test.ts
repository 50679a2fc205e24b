// What connection state recovery keeps is bounded by bytes (RECOVERY_BUFFER_BYTES), not only
// by its 2-minute window: a burst of large messages cannot make the server hold minutes of
// traffic. A client whose offset is still kept is recovered; one whose offset went is not,
// and catches up with `history` `after` its last id.
import request from "supertest";
import type { Message } from "../../common/events";
import {
  connect,
  connected,
  eventually,
  historyOf,
  joinChat,
  login,
  nextEvent,
  sendOk,
  type Client,
  type ClientSocket,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

const BUDGET = 64 * 1024;
/** Counted about 2.5 kB each (encoded, plus per-packet overhead): about 25 fit the budget. */
const big = (label: string) => `${label} `.padEnd(1500, "x");

let server: TestServer;
let sender: Client;

beforeAll(async () => {
  server = await startServer({
    RECOVERY_BUFFER_BYTES: String(BUDGET),
    RATE_LIMIT_MESSAGES: "1000",
  });
  sender = await joinChat(server.url);
});
afterAll(async () => {
  sender.socket.close();
  await server.close();
});

/** The packets the adapter keeps for recovery, and their encoded size, counted here. */
function kept(): { packets: number; encodedBytes: number } {
  const { packets } = server.chat.io.of("/").adapter as unknown as {
    packets: { data: unknown[] }[];
  };
  const encodedBytes = packets.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.data)), 0);
  return { packets: packets.length, encodedBytes };
}

/** A client with recovery on (reconnects only when told), its textmsgs recorded. */
async function recoverable(): Promise<{ socket: ClientSocket; got: Message[] }> {
  const { token } = await login(server.url);
  const socket = connect(server.url, token);
  const got: Message[] = [];
  socket.on("textmsg", (m) => got.push(m));
  const online = nextEvent(socket, "online");
  await connected(socket);
  await online;
  return { socket, got };
}

/** Cuts the transport without a clean close (a network drop); resolves once the server saw it. */
async function drop(socket: ClientSocket): Promise<void> {
  const before = server.chat.io.of("/").sockets.size;
  (socket.io.engine as unknown as { close(): void }).close();
  await eventually(() => server.chat.io.of("/").sockets.size === before - 1);
}

async function reconnect(socket: ClientSocket): Promise<void> {
  const online = nextEvent(socket, "online");
  socket.connect();
  await connected(socket);
  await online;
}

it("keeps at most RECOVERY_BUFFER_BYTES of broadcasts, however many were sent", async () => {
  const sent: Message[] = [];
  for (let i = 0; i < 100; i++) sent.push(await sendOk(sender.socket, { content: big(`b${i}`) }));
  const { packets, encodedBytes } = kept();
  // 100 messages of 1,500 characters are about 160 kB: only the newest are kept.
  expect(encodedBytes).toBeLessThanOrEqual(BUDGET);
  expect(packets).toBeGreaterThan(10);
  expect(packets).toBeLessThan(40);
  const adapter = server.chat.io.of("/").adapter as unknown as { bytes: number };
  expect(adapter.bytes).toBeLessThanOrEqual(BUDGET);
  expect(adapter.bytes).toBeGreaterThanOrEqual(encodedBytes);
  // The newest message is among them; the oldest went.
  const keptIds = (
    server.chat.io.of("/").adapter as unknown as { packets: { data: unknown[] }[] }
  ).packets.map((p) => (p.data[1] as Message | undefined)?.id);
  expect(keptIds).toContain(sent[99].id);
  expect(keptIds).not.toContain(sent[0].id);
  const metrics = await request(server.url).get("/metrics").expect(200);
  const gauge = Number(/^chat_recovery_buffer_bytes (\d+)$/m.exec(metrics.text)?.[1]);
  expect(gauge).toBeGreaterThan(0);
  expect(gauge).toBeLessThanOrEqual(BUDGET);
}, 30_000);

it("recovers a client whose offset is still kept", async () => {
  const b = await recoverable();
  await drop(b.socket);
  const missed: Message[] = [];
  for (let i = 0; i < 5; i++) missed.push(await sendOk(sender.socket, { content: big(`m${i}`) }));
  await reconnect(b.socket);
  expect(b.socket.recovered).toBe(true);
  await eventually(() => b.got.length >= missed.length);
  expect(b.got.map((m) => m.id)).toEqual(missed.map((m) => m.id));
  b.socket.close();
}, 30_000);

it("does not recover a client whose offset went; history after its last id fills the gap", async () => {
  const c = await recoverable();
  const seen = await sendOk(sender.socket, { content: "seen before the drop" });
  await eventually(() => c.got.some((m) => m.id === seen.id));
  await drop(c.socket);
  // About 100 kB of broadcasts while it is away: more than the budget.
  const missed: Message[] = [];
  for (let i = 0; i < 40; i++) missed.push(await sendOk(sender.socket, { content: big(`g${i}`) }));
  await reconnect(c.socket);
  expect(c.socket.recovered).toBe(false);
  expect(c.got.map((m) => m.id)).toEqual([seen.id]);
  const caughtUp = await historyOf(c.socket, { after: seen.id, limit: 100 });
  expect(caughtUp.map((m) => m.id)).toEqual(missed.map((m) => m.id));
  // Recovered or not, it is live again.
  const next = nextEvent(c.socket, "textmsg", (m) => m.content === "live again");
  await sendOk(sender.socket, { content: "live again" });
  await next;
  c.socket.close();
}, 30_000);
