// Passkeys across two nodes behind one name: a challenge issued by one node is redeemed on
// the other, as a load balancer without sticky sessions would have it.
import { connect, connected, login, sendOk, type ClientSocket } from "../support/clients";
import {
  addPasskey,
  originOf,
  passkeyLogin,
  registrationOptions,
  signInOptions,
  type Via,
} from "../support/passkeys";
import { SoftAuthenticator } from "../support/webauthn";
import { startCluster, type Cluster } from "./harness";

let cluster: Cluster;
const sockets: ClientSocket[] = [];
const url = (i: number) => cluster.nodes[i].url;
/** The name both nodes are reached by. */
const via: Via = { host: "chat.cluster.test" };

beforeAll(async () => {
  cluster = await startCluster(2);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.stop();
});

describe("passkeys across nodes", () => {
  it("registers with options from A verified on B, and signs in with options from B on A", async () => {
    const guest = await login(url(0));
    const auth = new SoftAuthenticator();
    const creation = await registrationOptions(url(0), guest.token, via);
    expect(creation.rp.id).toBe(via.host);
    const registration = auth.register(creation, { origin: originOf(url(0), via) });
    const added = await addPasskey(url(1), guest.token, { response: registration }, via);
    expect(added.status).toBe(201);
    // Used up on B: A does not take it again.
    expect((await addPasskey(url(0), guest.token, { response: registration }, via)).status).toBe(
      400,
    );

    const request = await signInOptions(url(1), via);
    const response = auth.authenticate(request, { origin: originOf(url(1), via) });
    const res = await passkeyLogin(url(0), { response }, via);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual(guest.user);
    expect((await passkeyLogin(url(1), { response }, via)).status).toBe(401);

    const socket = connect(url(1), res.body.token);
    sockets.push(socket);
    await connected(socket);
    expect((await sendOk(socket, { content: "signed in on A, chatting on B" })).from.id).toBe(
      guest.user.id,
    );
  });
});
