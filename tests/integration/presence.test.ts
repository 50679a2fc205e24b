import request from "supertest";
import type { PresencePayload } from "../../common/events";
import {
  connect,
  connected,
  eventually,
  joinChat,
  login,
  nextEvent,
  type Client,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe("online and presence", () => {
  it("a socket gets the online snapshot right after it connects, itself included", async () => {
    const a = await joinChat(server.url);
    const { token, user } = await login(server.url);
    const socket = connect(server.url, token);
    const online = await nextEvent(socket, "online");
    expect(online.count).toBe(2);
    expect(online.users).toEqual(expect.arrayContaining([a.user, user]));
    socket.close();
    a.socket.close();
  });

  it("announces joins and leaves to everyone; count is distinct users across tabs", async () => {
    const a = await joinChat(server.url);
    const events: PresencePayload[] = [];
    a.socket.on("presence", (p) => events.push(p));
    const { token, user } = await login(server.url);
    const tabs = [
      connect(server.url, token),
      connect(server.url, token),
      connect(server.url, token),
    ];
    await Promise.all(tabs.map(connected));
    await eventually(() => events.some((e) => e.joined.some((u) => u.id === user.id)));
    expect(events.at(-1)!.count).toBe(2);
    expect(events.flatMap((e) => e.joined).filter((u) => u.id === user.id)).toHaveLength(1);

    tabs[0].close();
    tabs[1].close();
    const late = connect(server.url, token);
    expect((await nextEvent(late, "online")).count).toBe(2);
    tabs[2].close();
    late.close();
    await eventually(() => events.some((e) => e.left.some((u) => u.id === user.id)));
    expect(events.at(-1)).toEqual({ count: 1, joined: [], left: [user] });
    a.socket.close();
  });

  it("coalesces a burst of joins into few events", async () => {
    const a = await joinChat(server.url);
    await nextEvent(a.socket, "presence", (p) => p.joined.some((u) => u.id === a.user.id));
    const events: PresencePayload[] = [];
    a.socket.on("presence", (p) => events.push(p));
    const others: Client[] = await Promise.all(
      Array.from({ length: 10 }, () => joinChat(server.url)),
    );
    await eventually(() => events.reduce((n, e) => n + e.joined.length, 0) === 10);
    expect(events.length).toBeLessThanOrEqual(3);
    expect(events.at(-1)!.count).toBe(11);
    for (const o of others) o.socket.close();
    a.socket.close();
  });

  it("a user who comes and goes within one window is announced joining, then leaving", async () => {
    const a = await joinChat(server.url);
    const b = await joinChat(server.url);
    const left = nextEvent(a.socket, "presence", (p) => p.left.some((u) => u.id === b.user.id));
    await request(server.url)
      .delete("/api/session")
      .set("authorization", `Bearer ${b.token}`)
      .expect(204);
    expect((await left).count).toBe(1);
    a.socket.close();
  });

  it("a reload (leave and come back at once) is not announced", async () => {
    const a = await joinChat(server.url);
    const b = await joinChat(server.url);
    await nextEvent(a.socket, "presence", (p) => p.joined.some((u) => u.id === b.user.id));
    const events: PresencePayload[] = [];
    a.socket.on("presence", (p) => events.push(p));
    b.socket.close();
    const again = connect(server.url, b.token);
    await connected(again);
    await new Promise((r) => setTimeout(r, 600));
    expect(events).toEqual([]);
    again.close();
    a.socket.close();
  });
});
