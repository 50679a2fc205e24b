// The reference servers: bare Socket.IO chats in the style of the Socket.IO tutorial (no
// auth, no validation, no storage) that speak the same client-visible protocol as our
// server for the benchmark scenarios. The client connects with auth { name } (and, for the
// room relay, { rooms }); the Message has the same shape (and about the same size) as ours.
// Each reference decides what a `textmsg` does (`onConnection`); the default is the group
// broadcast of the tutorial and tuned servers.
import http from "node:http";
import { Server } from "socket.io";

/** Socket.IO's performance guide (https://socket.io/docs/v4/performance-tuning/). */
export const TUNED_OPTIONS = {
  transports: ["websocket"],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
};

let counter = 0;
let userCounter = 0;

/** A user with our User's shape, and a Message of it. */
export function makeUser(name) {
  return { id: `u${String(++userCounter).padStart(12, "0")}`, name, avatar: "fox" };
}
export function makeMessage(from, content) {
  return { id: String(++counter).padStart(16, "0"), from, content, ts: Date.now() };
}

/**
 * The tutorial's chat: the socket joins the room named after its user; `textmsg` {content}
 * goes to everyone with io.emit, `textmsg` {content, to} to io.to([sender, to]); both acked.
 */
export function groupChat(io, socket) {
  const nick = String(socket.handshake.auth?.name || `anon${userCounter}`);
  const user = makeUser(nick);
  socket.join(nick);
  socket.on("textmsg", (payload, ack) => {
    const message = makeMessage(user, payload.content);
    if (payload.to) {
      message.to = { id: "", name: payload.to, avatar: "" };
      io.to([nick, payload.to]).emit("textmsg", message);
    } else {
      io.emit("textmsg", message);
    }
    if (typeof ack === "function") ack({ ok: true, message });
  });
}

export function startReference(
  name,
  ioOptions,
  { discardRequest = false } = {},
  onConnection = groupChat,
) {
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || "127.0.0.1";
  const httpServer = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"status":"ok"}');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  const io = new Server(httpServer, ioOptions);

  if (discardRequest) {
    // Performance guide: drop the reference to the initial HTTP request (saves memory).
    io.engine.on("connection", (rawSocket) => {
      rawSocket.request = null;
    });
  }
  io.on("connection", (socket) => onConnection(io, socket));

  httpServer.listen(port, host, () => {
    process.stdout.write(`listening ${httpServer.address().port} (${name})\n`);
  });
  const stop = () => {
    io.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
