// Rooms: 1,000 users in 100 closed rooms of 10, every user sending to its room (500 msg/s in
// total, 5,000 deliveries/s: every member's socket, the sender's included). On ours each
// room is made with `room:create` (kind closed) by its first member, who then `room:add`s
// the other nine, before anyone connects; the bare room relay takes the rooms in the
// handshake (`auth: {name, rooms}`) and relays with `io.to(room).emit`.
import { io as connectSocketIo } from "socket.io-client";
import { mapLimit, sleep } from "../lib.mjs";
import { runPhase, warmup } from "../harness/phase.mjs";
import { quiesce } from "../harness/proc.mjs";
import { authsFor, connectAll, makeUsers, spawnWorker } from "../harness/workers.mjs";
import { MESSAGE_FIGURES } from "./private.mjs";

/** Creates the closed rooms through the contract; returns each room's id. */
async function createRooms(srv, groups, auths) {
  return mapLimit(groups, 20, async (members, r) => {
    const socket = connectSocketIo(`http://127.0.0.1:${srv.port}`, {
      transports: ["websocket"],
      auth: auths[members[0].index],
      reconnection: false,
    });
    try {
      await new Promise((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      const call = async (event, payload) => {
        const ack = await socket.timeout(10_000).emitWithAck(event, payload);
        if (!ack.ok) throw new Error(`${event}: ${ack.error.code}`);
        return ack.room;
      };
      const room = await call("room:create", { name: `bench room ${r}`, kind: "closed" });
      for (const m of members.slice(1)) await call("room:add", { room: room.id, name: m.name });
      return room.id;
    } finally {
      socket.close();
    }
  });
}

async function run(ctx) {
  const { opts, srv } = ctx;
  const size = Math.max(2, opts.roomSize);
  const n = opts.clients - (opts.clients % size);
  const users = makeUsers(n).map((u, index) => ({ ...u, index }));
  const auths = await authsFor(srv, users, opts);
  const groups = Array.from({ length: n / size }, (_, r) => users.slice(r * size, (r + 1) * size));
  const roomIds =
    srv.kind === "ours" ? await createRooms(srv, groups, auths) : groups.map((_, r) => `room${r}`);
  const nWorkers = Math.max(1, opts.workers);
  ctx.workers = Array.from({ length: nWorkers }, spawnWorker);
  const slices = ctx.workers.map(() => []);
  const rates = {};
  users.forEach((u, i) => {
    const room = roomIds[Math.floor(i / size)];
    const auth = srv.kind === "ours" ? auths[i] : { ...auths[i], rooms: [room] };
    slices[i % nWorkers].push({ name: u.name, auth, sender: i, to: null, room });
    rates[i] = opts.roomRate / n;
  });
  const conn = await connectAll(srv, ctx.workers, slices, n, opts);
  if (conn.failed)
    throw new Error(`${conn.failed} of ${n} connects failed: ${JSON.stringify(conn.errors)}`);
  await sleep(opts.settle * 1000);
  await quiesce(srv.pid);
  await warmup(ctx, rates, size);
  const res = await runPhase(ctx, {
    rates,
    offered: opts.roomRate,
    durationS: opts.duration,
    recipients: size,
    drainMaxS: opts.drain,
    stallS: 3,
  });
  return { clients: n, rooms: n / size, roomSize: size, ...res };
}

export default {
  name: "rooms",
  references: ["room-relay"],
  run,
  figures: MESSAGE_FIGURES,
};
