// The steps of a model run. Each predicts the server's answer from the model, checks it,
// applies it to the model, then `verify` compares deliveries, presence and history.
// Choices are small numbers taken modulo what exists at run time, so shrinking keeps them valid.
import { expect } from "@jest/globals";
import fc from "fast-check";
import type { Ack, Message, Room, RoomsPayload } from "../../common/events";
import { call, eventually } from "../support/clients";
import { dmKey, GROUP, roomKey, type ChatModel, type ConvKey, type ModelUser } from "./chat-model";
import { ADMIN_CODE, type RealChat, type Watched } from "./real-chat";

type Cmd = fc.AsyncCommand<ChatModel, RealChat, false>;

const NAMES = ["ann", "bob", "cyd", "dee", "eve"];
const ROOM_NAMES = ["alpha", "beta", "gamma"];
const EMOJI = ["👍", "🎉"];

async function http(r: RealChat, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${r.server.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const codeOf = (ack: Ack) => (ack.ok ? "ok" : ack.error.code);

function socketOf(r: RealChat, slot: number, pick: number): Watched | undefined {
  const all = r.sessions[slot].flatMap((s) => s.sockets);
  return all.length ? all[pick % all.length] : undefined;
}

const hasSocket = (m: ChatModel, slot: number) => (m.sockets.get(m.users[slot]?.id ?? "") ?? 0) > 0;

/** Ends a user in the model and waits until the server has let it go (rooms left, sockets gone). */
async function gone(m: ChatModel, r: RealChat, slot: number, user: ModelUser): Promise<void> {
  m.forget(user);
  await r.dropSessions(slot, () => true);
  await eventually(async () => (await r.server.rooms.memberOf(user.id)).length === 0, 3000);
}

/** Where a message, a read or a resend goes: the group, a room (by pick) or a nickname. */
type Target = { kind: "group" } | { kind: "room"; pick: number } | { kind: "dm"; name: number };
const target: fc.Arbitrary<Target> = fc.oneof(
  fc.constant({ kind: "group" as const }),
  fc.nat(5).map((pick) => ({ kind: "room" as const, pick })),
  fc.nat(NAMES.length - 1).map((name) => ({ kind: "dm" as const, name })),
);

/** The payload fields and conversation for a target, or the error the server must give. */
function resolve(
  m: ChatModel,
  me: ModelUser,
  t: Target,
): { fields: Record<string, string> } & ({ conv: ConvKey; joins?: string } | { error: string }) {
  if (t.kind === "group" || (t.kind === "room" && m.rooms.length === 0)) {
    return { fields: {}, conv: GROUP };
  }
  if (t.kind === "dm") {
    const name = NAMES[t.name];
    const peer = m.holderOf(name);
    if (!peer) return { fields: { to: name }, error: "unknown_recipient" };
    return { fields: { to: name }, conv: dmKey(me.id, peer.id) };
  }
  const room = m.rooms[t.pick % m.rooms.length];
  const fields = { room: room.id };
  if (room.deleted || (room.kind === "closed" && !room.members.has(me.id))) {
    return { fields, error: "not_found" };
  }
  return { fields, conv: roomKey(room.id), joins: room.members.has(me.id) ? undefined : room.id };
}

const isSelf = (m: ChatModel, slot: number, t: Target) =>
  t.kind === "dm" && m.holderOf(NAMES[t.name])?.id === m.users[slot]?.id;

class Login implements Cmd {
  constructor(
    readonly slot: number,
    readonly name: number,
  ) {}
  check = (m: Readonly<ChatModel>) => m.users[this.slot] === undefined;
  async run(m: ChatModel, r: RealChat) {
    const name = NAMES[this.name];
    const res = await http(r, "POST", "/api/session", undefined, { name, avatar: "fox" });
    if (m.holderOf(name)) {
      expect(res.status).toBe(409);
    } else {
      expect(res.status).toBe(201);
      const user = res.body.user as { id: string };
      const token = res.body.token as string;
      m.users[this.slot] = { id: user.id, name, admin: false, sessions: [token] };
      r.sessions[this.slot] = [{ token, sockets: [] }];
    }
    await r.verify(m);
  }
  toString = () => `login(${this.slot}, ${NAMES[this.name]})`;
}

class LinkDevice implements Cmd {
  constructor(readonly slot: number) {}
  check = (m: Readonly<ChatModel>) => m.users[this.slot] !== undefined;
  async run(m: ChatModel, r: RealChat) {
    const user = m.users[this.slot]!;
    const made = await http(r, "POST", "/api/devices", user.sessions[0]);
    expect(made.status).toBe(201);
    const linked = await http(r, "POST", "/api/session", undefined, { link: made.body.code });
    expect(linked.status).toBe(201);
    expect((linked.body.user as { id: string }).id).toBe(user.id);
    const token = linked.body.token as string;
    user.sessions.push(token);
    r.sessions[this.slot].push({ token, sockets: [] });
    await r.verify(m);
  }
  toString = () => `link(${this.slot})`;
}

class Connect implements Cmd {
  constructor(
    readonly slot: number,
    readonly session: number,
  ) {}
  check = (m: Readonly<ChatModel>) =>
    m.users[this.slot] !== undefined && (m.sockets.get(m.users[this.slot]!.id) ?? 0) < 3;
  async run(m: ChatModel, r: RealChat) {
    const user = m.users[this.slot]!;
    const w = await r.connect(this.slot, this.session % user.sessions.length, user.id);
    m.sockets.set(user.id, (m.sockets.get(user.id) ?? 0) + 1);
    expect((await w.online).count).toBe(m.onlineCount());
    // The first snapshot starts the group mark at the newest message.
    m.startMark(user.id, GROUP);
    expect(snapshotView(await w.rooms)).toEqual(expectedSnapshot(m, user));
    await r.verify(m);
  }
  toString = () => `connect(${this.slot}, ${this.session})`;
}

function snapshotView(p: RoomsPayload) {
  return {
    rooms: p.rooms.map((x) => [x.id, x.unread]).sort(),
    directs: p.directs.map((d) => [d.user.id, d.unread]).sort(),
  };
}

function expectedSnapshot(m: ChatModel, user: ModelUser) {
  const rooms = m.rooms.filter((x) => !x.deleted && x.members.has(user.id));
  return {
    rooms: [
      [GROUP, m.unread(user.id, GROUP)],
      ...rooms.map((x) => [x.id, m.unread(user.id, roomKey(x.id))]),
    ].sort(),
    directs: m
      .directs(user.id)
      .map((d) => [d.peerId, m.unread(user.id, d.conv)])
      .sort(),
  };
}

class Disconnect implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
  ) {}
  check = (m: Readonly<ChatModel>) => hasSocket(m as ChatModel, this.slot);
  async run(m: ChatModel, r: RealChat) {
    const w = socketOf(r, this.slot, this.pick)!;
    w.socket.disconnect();
    for (const s of r.sessions[this.slot]) s.sockets = s.sockets.filter((x) => x !== w);
    m.sockets.set(w.userId, m.sockets.get(w.userId)! - 1);
    await r.verify(m);
  }
  toString = () => `disconnect(${this.slot}, ${this.pick})`;
}

class Send implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly target: Target,
    readonly content: string,
    readonly cid: "none" | "new" | number,
  ) {}
  check = (m: Readonly<ChatModel>) =>
    hasSocket(m as ChatModel, this.slot) && !isSelf(m as ChatModel, this.slot, this.target);
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const mine = [...(m.cids.get(me.id)?.entries() ?? [])];
    const cid =
      this.cid === "none"
        ? undefined
        : this.cid === "new" || mine.length === 0
          ? `c${m.messages.length}-${this.content}`
          : mine[this.cid % mine.length][0];
    const where = resolve(m, me, this.target);
    const payload = { content: this.content, cid, ...where.fields };
    const ack = await call<{ message: Message }>(w.socket, "textmsg", payload);
    if ("error" in where) {
      expect(codeOf(ack)).toBe(where.error);
    } else {
      expect(codeOf(ack)).toBe("ok");
      const message = (ack as { message: Message }).message;
      if (where.joins) m.join(m.room(where.joins)!, me.id);
      const first = cid === undefined ? undefined : m.cids.get(me.id)?.get(cid);
      if (first !== undefined) {
        expect(message.id).toBe(first);
      } else {
        expect(m.messages.every((x) => x.id < message.id)).toBe(true);
        m.messages.push({
          id: message.id,
          conv: where.conv,
          fromId: me.id,
          content: this.content,
          edited: false,
          deleted: false,
          reactions: new Map(),
        });
        if (cid !== undefined) {
          if (!m.cids.has(me.id)) m.cids.set(me.id, new Map());
          m.cids.get(me.id)!.set(cid, message.id);
        }
        r.expectDelivery(`textmsg ${message.id}`, m.audience(where.conv));
      }
    }
    await r.verify(m);
  }
  toString = () =>
    `send(${this.slot}, ${this.pick}, ${JSON.stringify(this.target)}, ${this.content}, ${this.cid})`;
}

type Action = "edit" | "delete" | "react";

class Act implements Cmd {
  constructor(
    readonly action: Action,
    readonly slot: number,
    readonly pick: number,
    readonly message: number,
    readonly text: string,
  ) {}
  check = (m: Readonly<ChatModel>) => hasSocket(m as ChatModel, this.slot) && m.messages.length > 0;
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const msg = m.messages[this.message % m.messages.length];
    const emoji = EMOJI[this.text.length % EMOJI.length];
    const payload =
      this.action === "edit"
        ? { id: msg.id, content: this.text }
        : this.action === "react"
          ? { id: msg.id, emoji }
          : { id: msg.id };
    const ack = await call<{ message: Message }>(w.socket, `message:${this.action}`, payload);
    const conv = msg.conv;
    const moderates =
      me.admin &&
      (conv === GROUP || (conv.startsWith("room:") && m.room(conv.slice(5))?.kind === "open"));
    let expected = "ok";
    if (!m.mayRead(me.id, conv)) expected = "not_found";
    else if (this.action === "edit" && (msg.deleted || msg.fromId !== me.id))
      expected = "forbidden";
    else if (this.action === "delete" && msg.fromId !== me.id && !moderates) expected = "forbidden";
    else if (this.action === "react" && msg.deleted) expected = "forbidden";
    expect(`${this.action} ${codeOf(ack)}`).toBe(`${this.action} ${expected}`);
    if (expected === "ok" && !(this.action === "delete" && msg.deleted)) {
      if (this.action === "edit") {
        msg.content = this.text;
        msg.edited = true;
      } else if (this.action === "delete") {
        msg.deleted = true;
        msg.reactions.clear();
      } else {
        const users = msg.reactions.get(emoji) ?? [];
        if (users.includes(me.id)) {
          const left = users.filter((id) => id !== me.id);
          if (left.length) msg.reactions.set(emoji, left);
          else msg.reactions.delete(emoji);
        } else msg.reactions.set(emoji, [...users, me.id]);
      }
      r.expectDelivery(`update ${msg.id}`, m.audience(conv));
    }
    await r.verify(m);
  }
  toString = () => `${this.action}(${this.slot}, ${this.pick}, #${this.message}, ${this.text})`;
}

class CreateRoom implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly kind: "open" | "closed",
    readonly name: number,
    readonly members: number[],
  ) {}
  check = (m: Readonly<ChatModel>) => hasSocket(m as ChatModel, this.slot);
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const name = ROOM_NAMES[this.name];
    const members = this.members.map((i) => NAMES[i]);
    const ack = await call<{ room: Room }>(w.socket, "room:create", {
      name,
      kind: this.kind,
      members,
    });
    const holders = members.map((n) => m.holderOf(n));
    if (holders.some((u) => u === undefined)) expect(codeOf(ack)).toBe("unknown_recipient");
    else if (m.rooms.some((x) => !x.deleted && x.name === name))
      expect(codeOf(ack)).toBe("name_taken");
    else {
      expect(codeOf(ack)).toBe("ok");
      const room = {
        id: (ack as { room: Room }).room.id,
        name,
        kind: this.kind,
        members: new Set<string>(),
        deleted: false,
      };
      m.rooms.push(room);
      for (const u of [me, ...holders]) m.join(room, u!.id);
    }
    await r.verify(m);
  }
  toString = () =>
    `create(${this.slot}, ${this.pick}, ${this.kind}, ${ROOM_NAMES[this.name]}, [${this.members.map((i) => NAMES[i])}])`;
}

type RoomOp = "join" | "leave" | "add";

class Membership implements Cmd {
  constructor(
    readonly op: RoomOp,
    readonly slot: number,
    readonly pick: number,
    readonly room: number,
    readonly name: number,
  ) {}
  check = (m: Readonly<ChatModel>) => hasSocket(m as ChatModel, this.slot) && m.rooms.length > 0;
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const room = m.rooms[this.room % m.rooms.length];
    const name = NAMES[this.name];
    const payload = this.op === "add" ? { room: room.id, name } : { room: room.id };
    const ack = await call(w.socket, `room:${this.op}`, payload);
    let expected = "ok";
    if (room.deleted || (room.kind === "closed" && !room.members.has(me.id)))
      expected = "not_found";
    else if (this.op === "add" && !room.members.has(me.id)) expected = "forbidden";
    else if (this.op === "add" && !m.holderOf(name)) expected = "unknown_recipient";
    expect(`${this.op} ${codeOf(ack)}`).toBe(`${this.op} ${expected}`);
    if (expected === "ok") {
      if (this.op === "join") m.join(room, me.id);
      if (this.op === "add") m.join(room, m.holderOf(name)!.id);
      if (this.op === "leave") room.members.delete(me.id);
    }
    await r.verify(m);
  }
  toString = () =>
    `${this.op}(${this.slot}, ${this.pick}, room #${this.room}, ${NAMES[this.name]})`;
}

class Read implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly target: Target,
    readonly message: number,
  ) {}
  check = (m: Readonly<ChatModel>) =>
    hasSocket(m as ChatModel, this.slot) && !isSelf(m as ChatModel, this.slot, this.target);
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const where = resolve(m, me, this.target);
    const id = m.messages.length
      ? m.messages[this.message % m.messages.length].id
      : "9999999999999999";
    const fields = where.fields;
    const payload = "to" in fields ? { with: fields.to, id } : { ...fields, id };
    const ack = await call(w.socket, "read", payload);
    if ("error" in where) expect(codeOf(ack)).toBe(where.error);
    else {
      expect(codeOf(ack)).toBe("ok");
      m.markRead(me.id, where.conv, id);
    }
    await r.verify(m);
  }
  toString = () =>
    `read(${this.slot}, ${this.pick}, ${JSON.stringify(this.target)}, #${this.message})`;
}

class Logout implements Cmd {
  constructor(
    readonly slot: number,
    readonly session: number,
  ) {}
  check = (m: Readonly<ChatModel>) => m.users[this.slot] !== undefined;
  async run(m: ChatModel, r: RealChat) {
    const user = m.users[this.slot]!;
    const i = this.session % user.sessions.length;
    const res = await http(r, "DELETE", "/api/session", user.sessions[i]);
    expect(res.status).toBe(204);
    const sockets = r.sessions[this.slot][i].sockets.length;
    if (user.sessions.length === 1) {
      await gone(m, r, this.slot, user);
    } else {
      user.sessions.splice(i, 1);
      m.sockets.set(user.id, (m.sockets.get(user.id) ?? 0) - sockets);
      await r.dropSessions(this.slot, (j) => j === i);
    }
    await r.verify(m);
  }
  toString = () => `logout(${this.slot}, ${this.session})`;
}

class ClaimAdmin implements Cmd {
  constructor(readonly slot: number) {}
  check = (m: Readonly<ChatModel>) =>
    m.users[this.slot] !== undefined && !m.users[this.slot]!.admin;
  async run(m: ChatModel, r: RealChat) {
    const user = m.users[this.slot]!;
    const res = await http(r, "POST", "/api/admin", user.sessions[0], { code: ADMIN_CODE });
    expect(res.status).toBe(200);
    user.admin = true;
    await r.verify(m);
  }
  toString = () => `admin(${this.slot})`;
}

class Kick implements Cmd {
  constructor(
    readonly slot: number,
    readonly pick: number,
    readonly victim: number,
  ) {}
  check = (m: Readonly<ChatModel>) =>
    hasSocket(m as ChatModel, this.slot) &&
    this.victim !== this.slot &&
    m.users[this.victim] !== undefined;
  async run(m: ChatModel, r: RealChat) {
    const me = m.users[this.slot]!;
    const victim = m.users[this.victim]!;
    const w = socketOf(r, this.slot, this.pick)!;
    const ack = await call(w.socket, "moderate", { action: "kick", name: victim.name });
    expect(codeOf(ack)).toBe(me.admin ? "ok" : "forbidden");
    if (me.admin) await gone(m, r, this.victim, victim);
    await r.verify(m);
  }
  toString = () => `kick(${this.slot}, ${this.pick}, ${this.victim})`;
}

const slot = fc.nat(3);
const pick = fc.nat(5);
const text = fc.stringMatching(/^[a-z]{1,8}$/);

export const commands = [
  fc.tuple(slot, fc.nat(NAMES.length - 1)).map(([s, n]) => new Login(s, n)),
  slot.map((s) => new LinkDevice(s)),
  fc.tuple(slot, pick).map(([s, p]) => new Connect(s, p)),
  fc.tuple(slot, pick).map(([s, p]) => new Disconnect(s, p)),
  fc
    .tuple(
      slot,
      pick,
      target,
      text,
      fc.oneof(fc.constant("none" as const), fc.constant("new" as const), pick),
    )
    .map(([s, p, t, c, cid]) => new Send(s, p, t, c, cid)),
  fc
    .tuple(fc.constantFrom<Action>("edit", "delete", "react"), slot, pick, fc.nat(30), text)
    .map(([a, s, p, msg, t]) => new Act(a, s, p, msg, t)),
  fc
    .tuple(
      slot,
      pick,
      fc.constantFrom<"open" | "closed">("open", "closed"),
      fc.nat(ROOM_NAMES.length - 1),
      fc.array(fc.nat(NAMES.length - 1), { maxLength: 2 }),
    )
    .map(([s, p, k, n, mem]) => new CreateRoom(s, p, k, n, mem)),
  fc
    .tuple(
      fc.constantFrom<RoomOp>("join", "leave", "add"),
      slot,
      pick,
      fc.nat(5),
      fc.nat(NAMES.length - 1),
    )
    .map(([op, s, p, room, n]) => new Membership(op, s, p, room, n)),
  fc.tuple(slot, pick, target, fc.nat(30)).map(([s, p, t, msg]) => new Read(s, p, t, msg)),
  fc.tuple(slot, pick).map(([s, p]) => new Logout(s, p)),
  slot.map((s) => new ClaimAdmin(s)),
  fc.tuple(slot, pick, slot).map(([s, p, v]) => new Kick(s, p, v)),
];

/** Every run starts with the 4 users logged in, each with one socket. */
export function opening(): Cmd[] {
  return [0, 1, 2, 3].flatMap((s) => [new Login(s, s), new Connect(s, 0)]);
}
