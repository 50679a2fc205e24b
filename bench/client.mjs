// A minimal Socket.IO v5 / Engine.IO v4 client on `ws`, websocket transport only, default
// namespace only, text (JSON) packets only. It does far less per received frame than
// socket.io-client: an event frame is handed over as the raw Buffer (`onEventFrame`) unless
// the caller asks for decoded events with `on()`.
//
// Engine.IO packets: 0 open, 1 close, 2 ping, 3 pong, 4 message.
// Socket.IO packets (inside an Engine.IO message): 0 CONNECT, 1 DISCONNECT, 2 EVENT,
// 3 ACK, 4 CONNECT_ERROR. An EVENT or ACK may carry an ack id right after its type digit.

import WebSocket from "ws";

const C_0 = 0x30; // '0'
const C_1 = 0x31;
const C_2 = 0x32;
const C_3 = 0x33;
const C_4 = 0x34;
const C_BRACKET = 0x5b; // '['

export function socketUrl(port, host = "127.0.0.1") {
  return `ws://${host}:${port}/socket.io/?EIO=4&transport=websocket`;
}

export class SioClient {
  /**
   * @param {string} url ws://host:port/socket.io/?EIO=4&transport=websocket
   * @param {object} [opts]
   * @param {(buf: Buffer, client: SioClient) => void} [opts.onEventFrame] raw `42[...]` frames
   * @param {(id: number, buf: Buffer, client: SioClient) => void} [opts.onAckFrame] raw `43<id>[...]`
   * @param {(code: number, reason: string, client: SioClient) => void} [opts.onClose]
   * @param {object} [opts.wsOptions] extra options for `new WebSocket`
   */
  constructor(url, opts = {}) {
    this.url = url;
    this.onEventFrame = opts.onEventFrame ?? null;
    this.onAckFrame = opts.onAckFrame ?? null;
    this.onClose = opts.onClose ?? null;
    this.wsOptions = opts.wsOptions ?? {};
    this.ws = null;
    this.connected = false;
    this.sid = null;
    /** Session id for connection state recovery, when the server enables it. */
    this.pid = null;
    this.recovered = false;
    this.nextAckId = 0;
    this.acks = new Map();
    this.handlers = new Map();
    this.binaryFrames = 0;
    this._closing = false;
  }

  /** Decoded-event subscription (JSON.parse per frame; not for the hot path). */
  on(event, fn) {
    this.handlers.set(event, fn);
    return this;
  }

  /**
   * Opens the websocket and the default namespace with the given auth payload.
   * Resolves with the CONNECT payload; rejects on connect_error, close or timeout.
   */
  connect(auth, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
      this._closing = false;
      this.connected = false;
      let settled = false;
      const settle = (err, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value);
      };
      const timer = setTimeout(() => {
        settle(new Error("connect timeout"));
        this.close();
      }, timeoutMs);
      const ws = new WebSocket(this.url, {
        perMessageDeflate: false,
        skipUTF8Validation: true,
        handshakeTimeout: timeoutMs,
        ...this.wsOptions,
      });
      this.ws = ws;
      const authJson = auth ? JSON.stringify(auth) : "";
      ws.on("message", (data, isBinary) => {
        if (isBinary) {
          this.binaryFrames++;
          return;
        }
        const c0 = data[0];
        if (c0 === C_4) {
          const c1 = data[1];
          if (c1 === C_2) {
            if (this.onEventFrame !== null) this.onEventFrame(data, this);
            else this._dispatchEvent(data);
          } else if (c1 === C_3) {
            this._onAck(data);
          } else if (c1 === C_0) {
            const payload = data.length > 2 ? JSON.parse(data.toString("utf8", 2)) : {};
            this.sid = payload.sid ?? null;
            if (payload.pid) this.pid = payload.pid;
            this.recovered = !!(auth && auth.pid && payload.pid === auth.pid);
            this.connected = true;
            settle(null, payload);
          } else if (c1 === C_4) {
            let message = "connect_error";
            try {
              message = JSON.parse(data.toString("utf8", 2)).message ?? message;
            } catch {
              // keep the generic message
            }
            const err = new Error(message);
            err.connectError = true;
            settle(err);
            this.close();
          } else if (c1 === C_1) {
            // server-side disconnect of the namespace
            this.connected = false;
            ws.close();
          }
        } else if (c0 === C_2) {
          ws.send("3"); // ping -> pong
        } else if (c0 === C_0) {
          ws.send("40" + authJson); // open -> CONNECT with auth
        } else if (c0 === C_1) {
          ws.close();
        }
      });
      ws.on("error", (err) => settle(err));
      ws.on("close", (code, reason) => {
        const wasClosing = this._closing;
        this.connected = false;
        settle(new Error(`closed before connect (${code})`));
        if (this.ws === ws && !wasClosing && this.onClose) this.onClose(code, String(reason), this);
      });
    });
  }

  /** Sends `42<ackId>` + a pre-serialized JSON array `["event",...]`; returns the ack id. */
  sendEventJson(arrayJson, withAck) {
    if (withAck) {
      const id = this.nextAckId++;
      this.ws.send("42" + id + arrayJson);
      return id;
    }
    this.ws.send("42" + arrayJson);
    return -1;
  }

  /** emit(event, ...args[, ackCallback(result)]) like socket.io-client. */
  emit(event, ...args) {
    let cb = null;
    if (typeof args[args.length - 1] === "function") cb = args.pop();
    const id = this.sendEventJson(JSON.stringify([event, ...args]), cb !== null);
    if (cb) this.acks.set(id, cb);
  }

  emitWithAck(event, ...args) {
    return new Promise((resolve) => this.emit(event, ...args, resolve));
  }

  close() {
    this._closing = true;
    this.connected = false;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) {
      try {
        this.ws.close();
      } catch {
        this.ws.terminate();
      }
    }
  }

  /** Abortive close (no closing handshake), for fast teardown of many sockets. */
  terminate() {
    this._closing = true;
    this.connected = false;
    if (this.ws) this.ws.terminate();
  }

  _onAck(data) {
    let id = 0;
    let p = 2;
    const len = data.length;
    while (p < len && data[p] !== C_BRACKET) id = id * 10 + (data[p++] - C_0);
    if (this.onAckFrame !== null) {
      this.onAckFrame(id, data, this);
      return;
    }
    const cb = this.acks.get(id);
    if (cb === undefined) return;
    this.acks.delete(id);
    cb(...JSON.parse(data.toString("utf8", p)));
  }

  _dispatchEvent(data) {
    let p = 2;
    while (p < data.length && data[p] !== C_BRACKET) p++; // skip an ack id, if any
    const [event, ...args] = JSON.parse(data.toString("utf8", p));
    const fn = this.handlers.get(event);
    if (fn) fn(...args);
  }
}

/** Decodes the argument array of a raw `43<id>[...]` ack frame. */
export function decodeAckArgs(data) {
  let p = 2;
  while (p < data.length && data[p] !== C_BRACKET) p++;
  return JSON.parse(data.toString("utf8", p));
}

/**
 * The connection-state-recovery offset a broadcast event carries as its last argument
 * (`42["textmsg",{...},"<offset>"]`), or null.
 */
export function eventOffset(data) {
  const end = data.length - 1;
  if (end < 3 || data[end] !== 0x5d || data[end - 1] !== 0x22) return null;
  let p = end - 2;
  while (p > 2 && data[p] !== 0x22) p--;
  if (data[p - 1] !== 0x2c) return null; // must be preceded by ','
  return data.toString("utf8", p + 1, end - 1);
}
