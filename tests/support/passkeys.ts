// Passkey ceremonies against a running server, with the software authenticator.
import request from "supertest";
import type { User } from "../../common/events";
import { SoftAuthenticator, type Ceremony } from "./webauthn";

export type Via = {
  /** A Host header to send (a load balancer's name for every node), else the URL's. */
  host?: string;
};

function post(url: string, path: string, token?: string, via: Via = {}) {
  let test = request(url).post(path);
  if (token) test = test.set("Authorization", `Bearer ${token}`);
  if (via.host) test = test.set("Host", via.host);
  return test;
}

/** The origin a browser on `url` (or on `via.host`) has. */
export function originOf(url: string, via: Via = {}): string {
  return via.host ? `http://${via.host}` : new URL(url).origin;
}

export async function registrationOptions(url: string, token: string, via?: Via) {
  const res = await post(url, "/api/account/passkeys/options", token, via).send();
  if (res.status !== 200) throw new Error(`options: ${res.status} ${res.text}`);
  return res.body.options;
}

export async function signInOptions(url: string, via?: Via) {
  const res = await post(url, "/api/passkey/options", undefined, via).send();
  if (res.status !== 200) throw new Error(`sign-in options: ${res.status} ${res.text}`);
  return res.body.options;
}

/** POST /api/account/passkeys with a body as given (a test may send junk). */
export function addPasskey(url: string, token: string | undefined, body: unknown, via?: Via) {
  return post(url, "/api/account/passkeys", token, via).send(body as object);
}

export function passkeyLogin(url: string, body: unknown, via?: Via) {
  return post(url, "/api/passkey/login", undefined, via).send(body as object);
}

/** Options, a new credential on `auth`, and its registration: the 201 answer's passkey. */
export async function registerPasskey(
  url: string,
  token: string,
  auth: SoftAuthenticator,
  { name, ...via }: Via & { name?: string } = {},
): Promise<{ id: string; name: string; createdAt: number }> {
  const options = await registrationOptions(url, token, via);
  const response = auth.register(options, { origin: originOf(url, via) });
  const res = await addPasskey(url, token, { response, name }, via);
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return res.body.passkey;
}

/** Sign-in options and an assertion by `auth`'s newest credential. */
export async function assertion(
  url: string,
  auth: SoftAuthenticator,
  ceremony?: Partial<Ceremony>,
  via?: Via,
) {
  const options = await signInOptions(url, via);
  return auth.authenticate(options, { origin: originOf(url, via), ...ceremony });
}

/** A whole passkey sign-in: the 200 answer's token and user. */
export async function signInWithPasskey(
  url: string,
  auth: SoftAuthenticator,
  via?: Via,
): Promise<{ token: string; user: User }> {
  const res = await passkeyLogin(url, { response: await assertion(url, auth, {}, via) }, via);
  if (res.status !== 200) throw new Error(`passkey login: ${res.status} ${res.text}`);
  return res.body;
}
