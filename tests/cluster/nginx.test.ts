import http from "node:http";
import { io } from "socket.io-client";
import {
  connected,
  eventually,
  login,
  nextEvent,
  sendOk,
  type ClientSocket,
} from "../support/clients";
import { startNginx, type Service } from "../support/services";
import { startCluster, type Cluster } from "./harness";

let cluster: Cluster;
let proxy: Service & { url: string };
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  cluster = await startCluster(2);
  proxy = await startNginx(cluster.nodes.map((n) => n.port));
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await proxy?.dispose();
  await cluster?.stop();
});

type ProxyClient = { socket: ClientSocket; name: string; node: number };

/**
 * A client whose connections come from `address` (any 127.x address is local), with
 * socket.io-client's default transports: long-polling first, then the WebSocket upgrade.
 */
async function clientFrom(address: string): Promise<ProxyClient> {
  const { token, user } = await login(proxy.url);
  const agent = new http.Agent({ localAddress: address, keepAlive: true });
  const socket: ClientSocket = io(proxy.url, {
    auth: { token },
    forceNew: true,
    reconnection: false,
    agent: agent as unknown as string,
  });
  sockets.push(socket);
  const upgraded = new Promise<void>((resolve) =>
    socket.io.engine.once("upgrade", () => resolve()),
  );
  await connected(socket);
  await upgraded;
  expect(socket.io.engine.transport.name).toBe("websocket");
  // Which node took it: the one that logged this user's connection.
  let node = -1;
  await eventually(() => {
    node = cluster.nodes.findIndex((n) => n.logs().includes(`"user":"${user.id}"`));
    return node >= 0;
  });
  return { socket, name: user.name, node };
}

it("through nginx: login, then polling upgraded to WebSocket, group and private messages across nodes", async () => {
  const health = await fetch(`${proxy.url}/healthz`);
  expect(await health.json()).toEqual({ status: "ok" });

  // Sticky by client address: different addresses spread over the nodes.
  const clients: ProxyClient[] = [];
  for (let i = 2; i < 40; i++) {
    clients.push(await clientFrom(`127.0.0.${i}`));
    if (new Set(clients.map((c) => c.node)).size === 2) break;
  }
  const a = clients.find((c) => c.node === 0)!;
  const b = clients.find((c) => c.node === 1)!;
  expect(a && b).toBeTruthy();

  const heard = nextEvent(b.socket, "textmsg", (m) => m.content === "via nginx");
  const sent = await sendOk(a.socket, { content: "via nginx" });
  expect(await heard).toEqual(sent);

  const toA = nextEvent(a.socket, "textmsg", (m) => m.content === "private via nginx");
  const dm = await sendOk(b.socket, { content: "private via nginx", to: a.name });
  expect(await toA).toEqual(dm);
  expect(dm.to?.name).toBe(a.name);
});
