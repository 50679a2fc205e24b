// Reference 1: the Socket.IO tutorial's broadcast server, default options.
// (bench/run.mjs starts it with WS_NO_BUFFER_UTIL=1 WS_NO_UTF_8_VALIDATE=1, i.e. as if
// bufferutil and utf-8-validate were not installed, which is what the tutorial gives you.)
import { startReference } from "./common.mjs";

startReference("tutorial", {});
