// Reference 2: the same server tuned per Socket.IO's performance guide
// (https://socket.io/docs/v4/performance-tuning/): websocket transport only, no
// per-message deflate, no HTTP compression, no client bundle served, the initial HTTP
// request discarded, and bufferutil + utf-8-validate installed (ws loads them by itself).
import { startReference } from "./common.mjs";

startReference(
  "tuned",
  {
    transports: ["websocket"],
    perMessageDeflate: false,
    httpCompression: false,
    serveClient: false,
  },
  { discardRequest: true },
);
