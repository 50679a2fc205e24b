// A real push service for tests, on 127.0.0.1: it holds a browser's P-256 key pair and auth
// secret, decrypts each request per RFC 8291 (aes128gcm: ECDH + HKDF + AES-128-GCM) with
// node:crypto, and checks its VAPID JWT (RFC 8292) against the server's public key.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PushPayload } from "../../common/events";

export type Received = {
  path: string;
  payload: PushPayload;
  headers: http.IncomingHttpHeaders;
  jwt: { aud: string; exp: number; sub: string };
};

export type PushReceiver = {
  origin: string;
  received: Received[];
  /** Problems found in a request (bad encryption, JWT or headers): a test expects none. */
  errors: string[];
  /** A subscription (as a browser's `PushSubscription.toJSON()`) ending in `/push/<name>`. */
  subscription(name: string): { endpoint: string; keys: { p256dh: string; auth: string } };
  /** The HTTP status the endpoint answers from now on (201 by default). */
  answer(name: string, status: number): void;
  close(): Promise<void>;
};

type Client = { ecdh: crypto.ECDH; publicKey: Buffer; auth: Buffer };

const b64 = (b: Buffer) => b.toString("base64url");

export async function startPushReceiver(serverPublicKey: () => string): Promise<PushReceiver> {
  const clients = new Map<string, Client>();
  const statuses = new Map<string, number>();
  const received: Received[] = [];
  const errors: string[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const name = (req.url ?? "").replace(/^\/push\//, "");
      const client = clients.get(name);
      try {
        if (!client || req.method !== "POST") throw new Error(`unknown endpoint ${req.url}`);
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error("not aes128gcm");
        if (!Number(req.headers.ttl)) throw new Error("no TTL");
        const jwt = checkVapid(req.headers.authorization ?? "", serverPublicKey(), origin);
        const payload = JSON.parse(decrypt(Buffer.concat(chunks), client)) as PushPayload;
        received.push({ path: req.url ?? "", payload, headers: req.headers, jwt });
      } catch (err) {
        errors.push(String(err));
        res.writeHead(400).end();
        return;
      }
      res.writeHead(statuses.get(name) ?? 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    errors,
    subscription(name) {
      const ecdh = crypto.createECDH("prime256v1");
      const publicKey = ecdh.generateKeys();
      const auth = crypto.randomBytes(16);
      clients.set(name, { ecdh, publicKey, auth });
      return {
        endpoint: `${origin}/push/${name}`,
        keys: { p256dh: b64(publicKey), auth: b64(auth) },
      };
    },
    answer: (name, status) => void statuses.set(name, status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** RFC 8291 §3.4 and RFC 8188 §2: one record, padding delimiter 0x02. */
function decrypt(body: Buffer, client: Client): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65 || record.length > rs) throw new Error("bad aes128gcm header");
  const ecdhSecret = client.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), client.publicKey, asPublic]);
  const ikm = Buffer.from(crypto.hkdfSync("sha256", ecdhSecret, client.auth, keyInfo, 32));
  const cek = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16),
  );
  const nonce = Buffer.from(
    crypto.hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12),
  );
  const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([
    decipher.update(record.subarray(0, record.length - 16)),
    decipher.final(),
  ]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error("no last-record delimiter");
  return plain.subarray(0, end).toString("utf8");
}

/** `vapid t=<jwt>, k=<key>`: ES256 by the server's key, aud our origin, exp within 24 h. */
function checkVapid(header: string, serverKey: string, audience: string): Received["jwt"] {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header);
  if (!m) throw new Error(`bad Authorization: ${header}`);
  const [, token, k] = m;
  if (k !== serverKey) throw new Error("k is not the server's VAPID key");
  const [head, body, sig] = token.split(".");
  const header0 = JSON.parse(Buffer.from(head, "base64url").toString()) as { alg: string };
  if (header0.alg !== "ES256") throw new Error("not ES256");
  const raw = Buffer.from(serverKey, "base64url");
  const key = crypto.createPublicKey({
    key: { kty: "EC", crv: "P-256", x: b64(raw.subarray(1, 33)), y: b64(raw.subarray(33, 65)) },
    format: "jwk",
  });
  const signed = crypto.verify(
    "sha256",
    Buffer.from(`${head}.${body}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(sig, "base64url"),
  );
  if (!signed) throw new Error("bad VAPID signature");
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as Received["jwt"];
  const now = Date.now() / 1000;
  if (claims.aud !== audience) throw new Error(`aud ${claims.aud} is not ${audience}`);
  if (!(claims.exp > now && claims.exp <= now + 24 * 3600)) throw new Error("bad exp");
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error("bad sub");
  return claims;
}
