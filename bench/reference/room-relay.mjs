// Reference for rooms: a tuned bare Socket.IO room relay. The socket joins the rooms named
// in its handshake (`auth: {name, rooms}`); `textmsg` {content, room} goes to
// io.to(room).emit, then is acked. No auth, membership check, validation or storage.
import { makeMessage, makeUser, startReference, TUNED_OPTIONS } from "./common.mjs";

startReference("room-relay", TUNED_OPTIONS, { discardRequest: true }, (io, socket) => {
  const user = makeUser(String(socket.handshake.auth?.name ?? ""));
  const rooms = socket.handshake.auth?.rooms;
  if (Array.isArray(rooms)) socket.join(rooms.map(String));
  socket.on("textmsg", (payload, ack) => {
    const message = makeMessage(user, payload.content);
    message.room = String(payload.room);
    io.to(message.room).emit("textmsg", message);
    ack?.({ ok: true, message });
  });
});
