// A client that stops reading its socket while asking for large answers: the server drops it
// once its unsent output passes SOCKET_BUFFER_LIMIT_BYTES, instead of holding it all in memory,
// and everyone else keeps chatting.
import type { Socket } from "node:net";
import request from "supertest";
import WebSocket from "ws";
import { eventually, joinChat, login, nextEvent, sendOk, type Client } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

const LIMIT = 1024 * 1024;
let server: TestServer;
let sender: Client, bystander: Client;

beforeAll(async () => {
  server = await startServer({
    SOCKET_BUFFER_LIMIT_BYTES: String(LIMIT),
    RATE_LIMIT_MESSAGES: "1000",
    READ_RATE_LIMIT: "1000",
  });
  [sender, bystander] = [await joinChat(server.url), await joinChat(server.url)];
  // 100 messages of 2,000 characters: each history answer is about 220 kB.
  for (let i = 0; i < 100; i++) await sendOk(sender.socket, { content: `${i} `.padEnd(2000, "x") });
});
afterAll(async () => {
  sender.socket.close();
  bystander.socket.close();
  await server.close();
});

/** A bare Engine.IO/Socket.IO client on `ws`, connected to "/" with `token`. */
async function rawClient(token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
  await new Promise<void>((resolve, reject) => {
    ws.on("message", (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith("0")) ws.send(`40${JSON.stringify({ token })}`);
      else if (text.startsWith("40")) resolve();
      else if (text.startsWith("44")) reject(new Error(text));
    });
    ws.once("error", reject);
  });
  return ws;
}

it("drops a socket that stops reading once its buffer passes the limit; others unaffected", async () => {
  const { token } = await login(server.url);
  const slow = await rawClient(token);
  expect(server.chat.io.of("/").sockets.size).toBe(3);
  const closed = new Promise<void>((resolve) => slow.once("close", () => resolve()));

  // Stop reading, then keep asking for history: about 22 MB the server would have to hold.
  (slow as unknown as { _socket: Socket })._socket.pause();
  for (let i = 0; i < 100; i++) slow.send(`42${i}["history",{"limit":100}]`);

  await eventually(() => server.chat.io.of("/").sockets.size === 2, 10_000);
  const metrics = await request(server.url).get("/metrics").expect(200);
  expect(metrics.text).toMatch(/^chat_slow_consumers_disconnected_total 1$/m);
  // The TCP connection was cut, not left waiting for a close handshake it would never read.
  (slow as unknown as { _socket: Socket })._socket.resume();
  await closed;

  // The bystander and the sender still talk.
  const heard = nextEvent(bystander.socket, "textmsg", (m) => m.content === "still here");
  await sendOk(sender.socket, { content: "still here" });
  await heard;
  expect(bystander.socket.connected && sender.socket.connected).toBe(true);
}, 30_000);

it("keeps a socket that reads, however much it asks for in all", async () => {
  const { token } = await login(server.url);
  const reader = await rawClient(token);
  // One request at a time, as a client does: 30 answers, about 6.6 MB, never 1 MB queued.
  for (let i = 0; i < 30; i++) {
    const answered = new Promise<void>((resolve) => {
      const onMessage = (data: Buffer) => {
        if (!data.toString().startsWith(`43${i}[`)) return;
        reader.off("message", onMessage);
        resolve();
      };
      reader.on("message", onMessage);
    });
    reader.send(`42${i}["history",{"limit":100}]`);
    await answered;
  }
  expect(reader.readyState).toBe(WebSocket.OPEN);
  expect(server.chat.io.of("/").sockets.size).toBe(3);
  reader.close();
}, 30_000);
