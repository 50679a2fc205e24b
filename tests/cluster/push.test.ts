// Web Push with two nodes sharing Redis and PostgreSQL: the node that accepts a message
// pushes it once (not once per node), and a socket on the other node counts as online.
import { loadConfig } from "../../server/config/config";
import {
  connect,
  connected,
  eventually,
  joinChat,
  login,
  nextEvent,
  sendOk,
  uniqueName,
  type Client,
} from "../support/clients";
import { startPushReceiver, type PushReceiver } from "../support/push-receiver";
import { expectPushes, subscribeAt } from "../support/push";
import { tempDir } from "../support/server";
import { startCluster, type Cluster } from "./harness";

// One pair for every node, as the contract asks of a cluster.
const vapid = loadConfig({ DATA_DIR: tempDir() }).vapid;
let cluster: Cluster;
let receiver: PushReceiver;
let alice: Client;
beforeAll(async () => {
  receiver = await startPushReceiver(() => vapid.publicKey);
  cluster = await startCluster(2, {
    VAPID_PUBLIC_KEY: vapid.publicKey,
    VAPID_PRIVATE_KEY: vapid.privateKey,
    PUSH_ENDPOINT_ALLOWLIST: receiver.origin,
  });
  alice = await joinChat(cluster.nodes[0].url, uniqueName("alice"));
}, 60_000);
afterAll(async () => {
  alice?.socket.close();
  await cluster?.stop();
  await receiver?.close();
});

describe("Web Push on two nodes", () => {
  it("pushes a user offline on both nodes once, and nobody online on the other node", async () => {
    const node1 = cluster.nodes[1].url;
    const { token, user } = await login(node1, uniqueName("bob"));
    const endpoint = uniqueName("ep");
    await subscribeAt(node1, token, receiver, endpoint);
    await sendOk(alice.socket, { content: "to bob across nodes", to: user.name });
    const [push] = await expectPushes(receiver, endpoint, 1, 600);
    expect(push.payload).toMatchObject({ title: alice.user.name, body: "to bob across nodes" });

    const bob = connect(node1, token);
    const joined = nextEvent(alice.socket, "presence", (p) =>
      p.joined.some((u) => u.id === user.id),
    );
    await connected(bob);
    await joined;
    await sendOk(alice.socket, { content: `@${user.name} you are online on node 1` });
    await expectPushes(receiver, endpoint, 1, 600);

    const left = nextEvent(alice.socket, "presence", (p) => p.left.some((u) => u.id === user.id));
    bob.close();
    await left;
    await sendOk(alice.socket, { content: `@${user.name} gone again` });
    await eventually(() => receiver.received.length >= 2);
    await expectPushes(receiver, endpoint, 2, 600);
  });
});
