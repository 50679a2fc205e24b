// The account routes (GET/PATCH /api/account, password, passkeys, picture upload) as typed
// calls that never throw: each gives the parsed body, or the server's error code.
import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
} from "@simplewebauthn/browser";
import type { User } from "../../../common/events";

export type Passkey = { id: string; name: string; createdAt: number; lastUsedAt: number | null };
export type AccountState = {
  user: User;
  secured: boolean;
  password: boolean;
  passkeys: Passkey[];
};
export type Result<T> = { ok: true; data: T } | { ok: false; code: string };

/** Plain http on a name other than localhost has no WebAuthn at all. */
export const passkeysAvailable = (): boolean => browserSupportsWebAuthn();

async function call<T>(method: string, url: string, body?: unknown): Promise<Result<T>> {
  const init: RequestInit = { method, credentials: "same-origin" };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  try {
    const res = await fetch(url, init);
    const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
    if (res.ok) return { ok: true, data: data as T };
    const code = (data as { error?: { code?: unknown } } | null)?.error?.code;
    // A proxy may refuse a large upload before the server sees it, without a JSON body.
    return { ok: false, code: typeof code === "string" ? code : statusCode(res.status) };
  } catch {
    return { ok: false, code: "network" };
  }
}

function statusCode(status: number): string {
  return status === 413 ? "too_large" : status === 401 ? "unauthorized" : "internal";
}

export const loadAccount = () => call<AccountState>("GET", "/api/account");

export const chooseAvatar = (avatar: string) =>
  call<{ user: User }>("PATCH", "/api/account", { avatar });

export function uploadPicture(file: File): Promise<Result<{ user: User }>> {
  const form = new FormData();
  form.append("file", file);
  return call<{ user: User }>("POST", "/api/account/avatar", form);
}

export const savePassword = (password: string, current?: string) =>
  call<null>(
    "POST",
    "/api/account/password",
    current === undefined ? { password } : { password, current },
  );

export const removePasskey = (id: string) =>
  call<null>("DELETE", `/api/account/passkeys/${encodeURIComponent(id)}`);

/** Options from the server, the browser's own passkey prompt, then the server checks it. */
export async function addPasskey(name: string): Promise<Result<{ passkey: Passkey }>> {
  const options = await call<{ options: PublicKeyCredentialCreationOptionsJSON }>(
    "POST",
    "/api/account/passkeys/options",
  );
  if (!options.ok) return options;
  let response: unknown;
  try {
    response = await startRegistration({ optionsJSON: options.data.options });
  } catch {
    // Cancelled, timed out, or this authenticator already holds a passkey for this account.
    return { ok: false, code: "cancelled" };
  }
  return call<{ passkey: Passkey }>("POST", "/api/account/passkeys", {
    response,
    ...(name ? { name } : {}),
  });
}
