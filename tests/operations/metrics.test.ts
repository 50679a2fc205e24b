import request from "supertest";
import { joinChat, send, sendOk, type Client } from "../support/clients";
import { startServer, type TestServer } from "../support/server";

const TOKEN = "metrics-token-0123456789";
let server: TestServer;
let a: Client;

beforeAll(async () => {
  server = await startServer({ METRICS_TOKEN: TOKEN, RATE_LIMIT_MESSAGES: "2" });
  a = await joinChat(server.url);
});
afterAll(async () => {
  a.socket.close();
  await server.close();
});

/** A metric's value from the exposition text (the first line that matches). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(series + " "));
  if (line === undefined) throw new Error(`no ${series} in:\n${text}`);
  return Number(line.slice(series.length + 1));
}

it("counts sockets, users, messages by result, ack and store latency", async () => {
  await sendOk(a.socket, { content: "one" });
  await sendOk(a.socket, { content: "two" });
  expect((await send(a.socket, { content: "three" })).ok).toBe(false); // over the budget of 2
  expect((await send(a.socket, { content: "" })).ok).toBe(false);

  const res = await request(server.url).get("/metrics").expect(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = res.text;
  expect(value(text, "chat_sockets")).toBe(1);
  expect(value(text, "chat_users_online")).toBe(1);
  expect(value(text, 'chat_messages_total{result="ok"}')).toBe(2);
  expect(value(text, 'chat_messages_total{result="rate_limited"}')).toBe(1);
  expect(value(text, 'chat_messages_total{result="invalid"}')).toBe(1);
  expect(value(text, 'chat_ack_duration_seconds_count{event="textmsg",result="ok"}')).toBe(2);
  expect(value(text, 'chat_store_duration_seconds_count{op="append"}')).toBe(2);
  expect(value(text, "chat_slow_consumers_disconnected_total")).toBe(0);
  expect(value(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  expect(value(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
});

it("answers a forwarded request only with the token, else 404 like any unknown path", async () => {
  const proxied = () => request(server.url).get("/metrics").set("x-forwarded-for", "203.0.113.9");
  const refused = await proxied().expect(404);
  expect(refused.body).toEqual({ error: { code: "not_found", message: "Not found." } });
  await proxied().set("authorization", "Bearer wrong-token-0123456789").expect(404);
  const ok = await proxied().set("authorization", `Bearer ${TOKEN}`).expect(200);
  expect(ok.text).toContain("chat_messages_total");
});

it("without METRICS_TOKEN a forwarded request never gets in", async () => {
  const plain = await startServer();
  try {
    await request(plain.url).get("/metrics").set("x-forwarded-for", "203.0.113.9").expect(404);
    await request(plain.url)
      .get("/metrics")
      .set("x-forwarded-for", "203.0.113.9")
      .set("authorization", "Bearer ")
      .expect(404);
    await request(plain.url).get("/metrics").expect(200);
  } finally {
    await plain.close();
  }
});
