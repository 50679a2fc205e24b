// What a socket that stopped reading holds is measured in full: a queued broadcast keeps its
// text and, for WebSocket, the frame built from it once for all recipients.
import { unsentBytes } from "../../server/socket/slow-consumers";
import type { ChatSocket } from "../../server/socket/types";

function socketWith(writeBuffer: unknown[], bufferedAmount = 0): ChatSocket {
  return {
    conn: { writeBuffer, transport: { name: "websocket", socket: { bufferedAmount } } },
  } as unknown as ChatSocket;
}

it("counts queued packets, their prepared frames and the WebSocket's buffered bytes", () => {
  const text = `2["textmsg",${JSON.stringify({ content: "x".repeat(1500) })}]`;
  const frame = [Buffer.alloc(4), Buffer.from(`4${text}`)];
  const broadcast = { type: "message", data: text, options: { wsPreEncodedFrame: frame } };
  const answer = { type: "message", data: text, options: {} };
  expect(unsentBytes(socketWith([answer]))).toBe(text.length);
  expect(unsentBytes(socketWith([broadcast, broadcast]))).toBe(
    2 * (text.length + 4 + text.length + 1),
  );
  expect(unsentBytes(socketWith([answer], 1000))).toBe(text.length + 1000);
});
