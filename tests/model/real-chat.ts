// The real side of the model test: a server on SQLite, the sessions and sockets of 4 users,
// and an auditor that is always online. Every socket records what it receives and what it
// should have received; `verify` compares them, and history, with the model after each step.
import { expect } from "@jest/globals";
import type { Message, OnlinePayload, RoomsPayload } from "../../common/events";
import {
  connect,
  connected,
  eventually,
  joinChat,
  call,
  type ClientSocket,
} from "../support/clients";
import { startServer, type TestServer } from "../support/server";
import { dmKey, GROUP, type ChatModel, type ConvKey } from "./chat-model";

export type Watched = {
  socket: ClientSocket;
  userId: string;
  /** Ids of `textmsg` and `message:update` events received, and those expected. */
  got: string[];
  want: string[];
  /** Closed rooms this socket heard a `room` event of, not yet checked. */
  closedRooms: string[];
  online: Promise<OnlinePayload>;
  rooms: Promise<RoomsPayload>;
};

export const ADMIN_CODE = "model-admin-code";

function watch(socket: ClientSocket, userId: string): Watched {
  const w: Watched = {
    socket,
    userId,
    got: [],
    want: [],
    closedRooms: [],
    online: new Promise((resolve) => socket.once("online", resolve)),
    rooms: new Promise((resolve) => socket.once("rooms", resolve)),
  };
  socket.on("textmsg", (m) => w.got.push(`textmsg ${m.id}`));
  socket.on("message:update", (m) => w.got.push(`update ${m.id}`));
  socket.on("room", ({ room }) => {
    if (room.kind === "closed") w.closedRooms.push(room.id);
  });
  return w;
}

export class RealChat {
  /** Per slot: the sessions' tokens and each session's sockets (parallel to the model). */
  readonly sessions: { token: string; sockets: Watched[] }[][] = [[], [], [], []];

  /** Steps verified, over all runs (the test reports it). */
  static steps = 0;

  private constructor(
    readonly server: TestServer,
    readonly auditor: Watched,
  ) {}

  static async start(): Promise<RealChat> {
    const server = await startServer({
      ADMIN_CODE,
      RATE_LIMIT_MESSAGES: "1000000",
      REACTION_RATE_LIMIT: "1000000",
      READ_RATE_LIMIT: "1000000",
      READ_MARK_RATE_LIMIT: "1000000",
      ROOM_RATE_LIMIT: "1000000",
      DEVICE_LINK_RATE_LIMIT: "1000000",
    });
    const client = await joinChat(server.url, "auditor");
    return new RealChat(server, watch(client.socket, client.user.id));
  }

  async connect(slot: number, session: number, userId: string): Promise<Watched> {
    const s = this.sessions[slot][session];
    const socket = connect(this.server.url, s.token);
    const w = watch(socket, userId);
    await connected(socket);
    s.sockets.push(w);
    return w;
  }

  all(): Watched[] {
    return [this.auditor, ...this.sessions.flat().flatMap((s) => s.sockets)];
  }

  /** A message (or its update) goes to every connected socket of its audience (null: all). */
  expectDelivery(what: string, audience: string[] | null): void {
    for (const w of this.all())
      if (audience === null || audience.includes(w.userId)) w.want.push(what);
  }

  /** Drops the sockets of ended sessions once the server has disconnected them. */
  async dropSessions(slot: number, which: (index: number) => boolean): Promise<void> {
    const gone = this.sessions[slot].filter((_s, i) => which(i));
    this.sessions[slot] = this.sessions[slot].filter((_s, i) => !which(i));
    const sockets = gone.flatMap((s) => s.sockets);
    await eventually(() => sockets.every((w) => !w.socket.connected), 3000);
  }

  /** A socket that served from `history`: one of a reader's, or the auditor for public ones. */
  private readerOf(
    model: ChatModel,
    conv: ConvKey,
  ): { socket: ClientSocket; with?: string } | null {
    if (conv === GROUP || model.mayRead(this.auditor.userId, conv))
      return { socket: this.auditor.socket };
    for (const w of this.all()) {
      if (w.userId === this.auditor.userId || !model.mayRead(w.userId, conv)) continue;
      if (!conv.startsWith("dm:")) return { socket: w.socket };
      const peerId =
        conv
          .slice(3)
          .split("|")
          .find((id) => id !== w.userId) ?? w.userId;
      const peer = model.live().find((u) => u.id === peerId);
      if (peer && dmKey(w.userId, peer.id) === conv) return { socket: w.socket, with: peer.name };
    }
    return null;
  }

  /** The invariants: deliveries exactly as expected; history as the model has it. */
  async verify(model: ChatModel): Promise<void> {
    RealChat.steps++;
    const sockets = this.all();
    await eventually(() => sockets.every((w) => w.got.length >= w.want.length), 3000).catch(
      () => {},
    );
    for (const w of sockets)
      expect({ user: w.userId, got: w.got }).toEqual({ user: w.userId, got: w.want });
    await eventually(
      async () => (await this.server.chat.presence.snapshot()).count === model.onlineCount(),
      3000,
    );
    const convs = new Set(model.messages.map((m) => m.conv));
    for (const conv of convs) {
      const reader = this.readerOf(model, conv);
      if (!reader) continue;
      const target = conv.startsWith("room:")
        ? { room: conv.slice(5) }
        : reader.with
          ? { with: reader.with }
          : {};
      const stored = await historyAll(reader.socket, target);
      expect({ conv, messages: stored.map(view) }).toEqual({
        conv,
        messages: model.messagesIn(conv).map((m) => ({
          id: m.id,
          from: m.fromId,
          content: m.deleted ? "" : m.content,
          edited: m.edited && !m.deleted,
          deleted: m.deleted,
          reactions: m.deleted ? [] : [...m.reactions].map(([emoji, users]) => [emoji, users]),
        })),
      });
    }
  }

  async close(): Promise<void> {
    for (const w of this.all()) w.socket.disconnect();
    await this.server.close();
  }
}

function view(m: Message) {
  return {
    id: m.id,
    from: m.from.id,
    content: m.content,
    edited: m.editedAt !== undefined && !m.deleted,
    deleted: m.deleted === true,
    reactions: (m.reactions ?? []).map((r) => [r.emoji, r.users.map((u) => u.id)]),
  };
}

/** The whole history of a conversation, oldest first, paging with `after`. */
async function historyAll(socket: ClientSocket, target: object): Promise<Message[]> {
  const all: Message[] = [];
  let after = "0";
  for (;;) {
    const ack = await call<{ messages: Message[] }>(socket, "history", {
      ...target,
      after,
      limit: 100,
    });
    if (!ack.ok) throw new Error(`history ${JSON.stringify(target)}: ${ack.error.code}`);
    all.push(...ack.messages);
    if (ack.messages.length < 100) return all;
    after = ack.messages[ack.messages.length - 1].id;
  }
}
