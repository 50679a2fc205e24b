// Reference 2: the tutorial's server tuned per Socket.IO's performance guide: websocket
// transport only, no per-message deflate, no HTTP compression, no client bundle served, the
// initial HTTP request discarded, and bufferutil + utf-8-validate installed (ws loads them
// by itself).
import { startReference, TUNED_OPTIONS } from "./common.mjs";

startReference("tuned", TUNED_OPTIONS, { discardRequest: true });
