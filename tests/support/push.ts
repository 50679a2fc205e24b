// Helpers for the Web Push tests: subscribing over HTTP, and waiting for pushes or their absence.
import request from "supertest";
import type { PushReceiver, Received } from "./push-receiver";
import { eventually, sleep } from "./clients";

export function subscribe(url: string, token: string | undefined, body: unknown) {
  const test = request(url).post("/api/push").set("content-type", "application/json");
  if (token) test.set("Authorization", `Bearer ${token}`);
  return test.send(typeof body === "string" ? body : JSON.stringify(body));
}

/** Subscribes `token`'s user with a fresh endpoint `name` on the receiver. */
export async function subscribeAt(
  url: string,
  token: string,
  receiver: PushReceiver,
  name: string,
): Promise<void> {
  const res = await subscribe(url, token, receiver.subscription(name));
  if (res.status !== 201) throw new Error(`POST /api/push: ${res.status} ${res.text}`);
}

export const pushesTo = (receiver: PushReceiver, name: string): Received[] =>
  receiver.received.filter((r) => r.path === `/push/${name}`);

/** Waits for the `count`-th push to `name`, then a moment longer to see that no more come. */
export async function expectPushes(
  receiver: PushReceiver,
  name: string,
  count: number,
  quietMs = 300,
): Promise<Received[]> {
  if (count > 0) await eventually(() => pushesTo(receiver, name).length >= count, 5000);
  await sleep(quietMs);
  const got = pushesTo(receiver, name);
  if (got.length !== count) throw new Error(`${got.length} pushes to ${name}, expected ${count}`);
  if (receiver.errors.length) throw new Error(`push receiver: ${receiver.errors.join("; ")}`);
  return got;
}
