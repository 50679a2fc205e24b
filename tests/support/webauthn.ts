// A software passkey authenticator (ES256 on P-256, attestation "none") for the tests: it
// answers the server's WebAuthn options the way a browser and its authenticator would.
import crypto from "node:crypto";

type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue>;

/** The few CBOR shapes WebAuthn uses: integers, byte and text strings, arrays, maps. */
export function cbor(value: CborValue): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString("base64url");
const sha256 = (b: Uint8Array | string) => crypto.createHash("sha256").update(b).digest();

/** Authenticator data flags. */
export const FLAGS = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 };

export type StoredCredential = {
  id: Buffer;
  privateKey: crypto.KeyObject;
  rpId: string;
  userHandle: string;
  counter: number;
};

type CreationOptions = {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string };
};
type RequestOptions = { challenge: string; rpId?: string };

export type Ceremony = {
  /** The page's origin, as the browser writes it into clientDataJSON. */
  origin: string;
  /** The rp id the authenticator signs for (default: the options' own). */
  rpId?: string;
  /** The signature counter to report (default: one more than the last). */
  counter?: number;
};

function authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
  const c = Buffer.alloc(4);
  c.writeUInt32BE(counter >>> 0);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), c, ...(attested ? [attested] : [])]);
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];

  /** navigator.credentials.create(): a new discoverable credential, as RegistrationResponseJSON. */
  register(options: CreationOptions, ceremony: Ceremony) {
    const rpId = ceremony.rpId ?? options.rp.id ?? new URL(ceremony.origin).hostname;
    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    const coseKey = new Map<CborValue, CborValue>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, "base64url")],
      [-3, Buffer.from(jwk.y!, "base64url")],
    ]);
    const id = crypto.randomBytes(32);
    const idLength = Buffer.from([id.length >> 8, id.length & 0xff]);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, cbor(coseKey)]);
    const counter = ceremony.counter ?? 0;
    const data = authData(rpId, FLAGS.UP | FLAGS.UV | FLAGS.AT, counter, attested);
    const attestationObject = cbor(
      new Map<CborValue, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", data],
      ]),
    );
    const userHandle = Buffer.from(options.user.id, "base64url").toString("utf8");
    this.credentials.push({ id, privateKey, rpId, userHandle, counter });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: "public-key" as const,
      clientExtensionResults: {},
      authenticatorAttachment: "platform" as const,
      response: {
        clientDataJSON: b64url(clientData("webauthn.create", options.challenge, ceremony.origin)),
        attestationObject: b64url(attestationObject),
        transports: ["internal" as const],
      },
    };
  }

  /** navigator.credentials.get(): an assertion by `credential` (default: the newest one). */
  authenticate(
    options: RequestOptions,
    ceremony: Ceremony,
    credential = this.credentials[this.credentials.length - 1],
  ) {
    const rpId = ceremony.rpId ?? options.rpId ?? credential.rpId;
    credential.counter = ceremony.counter ?? credential.counter + 1;
    const data = authData(rpId, FLAGS.UP | FLAGS.UV, credential.counter);
    const client = clientData("webauthn.get", options.challenge, ceremony.origin);
    const signature = crypto.sign(
      "sha256",
      Buffer.concat([data, sha256(client)]),
      credential.privateKey,
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key" as const,
      clientExtensionResults: {},
      authenticatorAttachment: "platform" as const,
      response: {
        clientDataJSON: b64url(client),
        authenticatorData: b64url(data),
        signature: b64url(signature),
        userHandle: b64url(Buffer.from(credential.userHandle, "utf8")),
      },
    };
  }
}
