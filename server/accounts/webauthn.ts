// WebAuthn for passkeys: the relying party is the host a request came to, so the same server
// works on any name it is reached by (a LAN name, localhost, its public name behind a proxy).
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Request } from "express";
import { z } from "zod";
import type { User } from "../../common/events";
import type { PasskeyRecord } from "../store/passkey-store";

export const RP_NAME = "Group chat";
/** A challenge is good for this long, and once. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
export const PASSKEY_NAME_MAX = 60;

const b64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/);
const TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
const common = {
  id: b64url(1400),
  rawId: b64url(1400),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional().catch(undefined),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional().catch(undefined),
};

/** A `RegistrationResponseJSON` (what `startRegistration` resolves to). */
export const RegistrationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url(8000),
    attestationObject: b64url(48_000),
    // Hints only: unknown ones are dropped rather than refusing the passkey.
    transports: z
      .array(z.string().max(32))
      .max(16)
      .optional()
      .transform((list) =>
        (list ?? []).filter((t): t is AuthenticatorTransportFuture =>
          (TRANSPORTS as readonly string[]).includes(t),
        ),
      ),
  }),
});

/** An `AuthenticationResponseJSON` (what `startAuthentication` resolves to). */
export const AuthenticationSchema = z.object({
  ...common,
  response: z.object({
    clientDataJSON: b64url(8000),
    authenticatorData: b64url(8000),
    signature: b64url(2000),
    userHandle: b64url(200).optional(),
  }),
});

export type Registration = z.infer<typeof RegistrationSchema>;
export type Authentication = z.infer<typeof AuthenticationSchema>;

/** The relying party id: the request's host name (the forwarded one behind TRUST_PROXY). */
export function rpId(req: Request): string {
  return req.hostname;
}

/** Origins a ceremony may come from: the request's own (scheme and host), and ALLOWED_ORIGINS. */
export function expectedOrigins(req: Request, allowedOrigins: readonly string[]): string[] {
  return [...new Set([`${req.protocol}://${req.host}`, ...allowedOrigins])];
}

/** The challenge a client says it signed, to look it up (verification checks it again). */
export function challengeOf(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    const parsed = z.object({ challenge: z.string().min(1).max(200) }).safeParse(data);
    return parsed.success ? parsed.data.challenge : null;
  } catch {
    return null;
  }
}

/** The bytes of the chat user id: the user handle a passkey carries. */
export const userHandle = (userId: string) => new TextEncoder().encode(userId);

export function registrationOptions(req: Request, user: User, passkeys: PasskeyRecord[]) {
  return generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rpId(req),
    userID: userHandle(user.id),
    userName: user.name,
    userDisplayName: user.name,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: passkeys.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    supportedAlgorithmIDs: [-7, -257, -8],
  });
}

export function authenticationOptions(req: Request) {
  return generateAuthenticationOptions({
    rpID: rpId(req),
    allowCredentials: [],
    timeout: CHALLENGE_TTL_MS,
    userVerification: "preferred",
  });
}

/** The new credential, or null when the response does not verify (any reason). */
export async function verifyRegistration(
  req: Request,
  response: Registration,
  challenge: string,
  allowedOrigins: readonly string[],
): Promise<{ id: string; publicKey: Uint8Array; counter: number; transports: string[] } | null> {
  try {
    const { verified, registrationInfo } = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: expectedOrigins(req, allowedOrigins),
      expectedRPID: rpId(req),
      requireUserVerification: false,
    });
    if (!verified) return null;
    const { id, publicKey, counter } = registrationInfo.credential;
    return { id, publicKey, counter, transports: response.response.transports };
  } catch {
    return null;
  }
}

/** The authenticator's new signature counter, or null when the assertion does not verify. */
export async function verifyAuthentication(
  req: Request,
  response: Authentication,
  challenge: string,
  passkey: PasskeyRecord,
  allowedOrigins: readonly string[],
): Promise<number | null> {
  const handle = response.response.userHandle;
  if (handle !== undefined && Buffer.from(handle, "base64url").toString("utf8") !== passkey.userId)
    return null;
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: expectedOrigins(req, allowedOrigins),
      expectedRPID: rpId(req),
      credential: {
        id: passkey.id,
        publicKey: passkey.publicKey as Uint8Array<ArrayBuffer>,
        counter: passkey.counter,
        transports: transportsOf(passkey),
      },
      requireUserVerification: false,
    });
    return verified ? authenticationInfo.newCounter : null;
  } catch {
    return null;
  }
}

/**
 * A passkey's name: trimmed, without control or format characters (no bidi tricks), at most
 * PASSKEY_NAME_MAX characters; "Passkey N" when none is left.
 */
export function passkeyName(raw: unknown, count: number): string {
  const cleaned = typeof raw === "string" ? raw.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "") : "";
  const name = [...cleaned.trim()].slice(0, PASSKEY_NAME_MAX).join("").trim();
  return name || `Passkey ${count + 1}`;
}

function transportsOf(p: PasskeyRecord): AuthenticatorTransportFuture[] {
  return p.transports.filter((t): t is AuthenticatorTransportFuture =>
    (TRANSPORTS as readonly string[]).includes(t),
  );
}
