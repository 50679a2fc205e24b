// Helpers for the identity v2 tests: devices, invite codes, admins, moderation.
import request from "supertest";
import type { Ack, ModeratePayload, User } from "../../common/events";
import { connect, connected, type ClientSocket } from "./clients";

/** A supertest agent for `url` that sends `X-Forwarded-For: ip` (servers with TRUST_PROXY=1). */
export function from(url: string, ip?: string) {
  const withIp = <T extends request.Test>(test: T): T =>
    ip ? test.set("X-Forwarded-For", ip) : test;
  return {
    post: (path: string, token?: string) => {
      const test = withIp(request(url).post(path));
      return token ? test.set("Authorization", `Bearer ${token}`) : test;
    },
    get: (path: string, token?: string) => {
      const test = withIp(request(url).get(path));
      return token ? test.set("Authorization", `Bearer ${token}`) : test;
    },
  };
}

export type Device = { token: string; user: User };

/** A one-time link code made by the device holding `token`. */
export async function linkCode(url: string, token: string): Promise<string> {
  const res = await from(url).post("/api/devices", token);
  if (res.status !== 201) throw new Error(`POST /api/devices: ${res.status} ${res.text}`);
  return res.body.code as string;
}

/** A second device of the same user, by link code. */
export async function addDevice(url: string, token: string): Promise<Device> {
  const code = await linkCode(url, token);
  const res = await from(url).post("/api/session").send({ link: code });
  if (res.status !== 201) throw new Error(`link login: ${res.status} ${res.text}`);
  return res.body as Device;
}

export async function connectedSocket(url: string, token: string): Promise<ClientSocket> {
  const socket = connect(url, token);
  await connected(socket);
  return socket;
}

/** Resolves when the server disconnects `socket`; rejects after `ms`. */
export function serverDisconnect(socket: ClientSocket, ms = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!socket.connected) return resolve();
    const timer = setTimeout(() => reject(new Error("not disconnected in time")), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      if (reason === "io server disconnect") resolve();
      else reject(new Error(`disconnected: ${reason}`));
    });
  });
}

export function moderate(socket: ClientSocket, payload: ModeratePayload | unknown): Promise<Ack> {
  return new Promise((resolve) =>
    (socket.emit as (ev: string, p: unknown, ack: (r: Ack) => void) => void)(
      "moderate",
      payload,
      resolve,
    ),
  );
}
