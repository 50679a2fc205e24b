// Reference for private messages: a tuned bare Socket.IO private relay. Each user joins the
// room of its user id; `textmsg` {content, to} looks the recipient up by nickname in a Map
// and goes to io.to([sender, recipient]), then is acked. No auth, validation or storage.
import { makeMessage, makeUser, startReference, TUNED_OPTIONS } from "./common.mjs";

const byName = new Map();

startReference("private-relay", TUNED_OPTIONS, { discardRequest: true }, (io, socket) => {
  const user = makeUser(String(socket.handshake.auth?.name ?? ""));
  byName.set(user.name, user);
  socket.join(user.id);
  socket.on("disconnect", () => {
    if (byName.get(user.name) === user) byName.delete(user.name);
  });
  socket.on("textmsg", (payload, ack) => {
    const to = byName.get(payload.to);
    if (!to) return ack?.({ ok: false, error: { code: "unknown_recipient", message: "" } });
    const message = makeMessage(user, payload.content);
    message.to = to;
    io.to([user.id, to.id]).emit("textmsg", message);
    ack?.({ ok: true, message });
  });
});
