// The reference servers: a bare Socket.IO broadcast chat in the style of the Socket.IO
// tutorial (no auth, no validation, no storage) that speaks the same client-visible
// protocol as our server for the benchmark scenarios:
//   - the client connects with auth { name } and joins the room named after it;
//   - `textmsg` { content } is broadcast to everyone with io.emit, and acked;
//   - `textmsg` { content, to } goes to io.to([senderRoom, toRoom]), and is acked.
// The Message has the same shape (and about the same size) as ours.
import http from "node:http";
import { Server } from "socket.io";

export function startReference(name, ioOptions, { discardRequest = false } = {}) {
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

  let counter = 0;
  let userCounter = 0;
  io.on("connection", (socket) => {
    const auth = socket.handshake.auth || {};
    const nick = String(auth.name || `anon${userCounter}`);
    const user = { id: `u${String(++userCounter).padStart(12, "0")}`, name: nick, avatar: "fox" };
    socket.join(nick);
    socket.on("textmsg", (payload, ack) => {
      const message = {
        id: String(++counter).padStart(16, "0"),
        from: user,
        content: payload.content,
        ts: Date.now(),
      };
      if (payload.to) {
        message.to = { id: "", name: payload.to, avatar: "" };
        io.to([nick, payload.to]).emit("textmsg", message);
      } else {
        io.emit("textmsg", message);
      }
      if (typeof ack === "function") ack({ ok: true, message });
    });
  });

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
