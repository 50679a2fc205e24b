import express, { type Request, type Response, type Router } from "express";
import { z } from "zod";
import { ErrorCodes, type ErrorCode } from "../../common/events";
import { endPreviousSession, refreshBrowserSession, setBrowserSession } from "../auth/auth.routes";
import { LOGIN_WINDOW_MS } from "../auth/logins";
import { clientIp, sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import {
  AuthenticationSchema,
  CHALLENGE_TTL_MS,
  RegistrationSchema,
  authenticationOptions,
  challengeOf,
  passkeyName,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
} from "./webauthn";

// Attestation objects are small with attestation "none", but allow some room for extensions.
const json = express.json({ limit: "64kb", type: () => true });

/** The JSON body; a body that is not JSON (or too large) is `undefined`, never an error page. */
function readJson(req: Request, res: Response): Promise<unknown> {
  return new Promise<unknown>((resolve) =>
    json(req, res, (err?: unknown) => resolve(err ? undefined : req.body)),
  );
}

const AddSchema = z.object({ response: RegistrationSchema, name: z.string().optional() });
const LoginSchema = z.object({ response: AuthenticationSchema });
const IdSchema = z.string().min(1).max(1400);

function invalid(res: Response): void {
  res.status(400).json({
    error: { code: ErrorCodes.invalid, message: "The passkey could not be verified." },
  });
}

function refuse(res: Response, code: ErrorCode): void {
  if (code === ErrorCodes.rateLimited) res.set("Retry-After", String(LOGIN_WINDOW_MS / 1000));
  sendError(res, code);
}

/**
 * Passkeys (WebAuthn): adding and removing them on the account, and signing in with one.
 * Every challenge is stored (any node redeems it) and used up by the first response naming it.
 */
export function passkeyRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { config, passkeys, sessions } = deps;
  const now = () => deps.now();

  router.post("/api/account/passkeys/options", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const options = await registrationOptions(
      req,
      session.user,
      await passkeys.of(session.user.id),
    );
    await passkeys.saveChallenge(options.challenge, session.user.id, now() + CHALLENGE_TTL_MS);
    res.set("Cache-Control", "no-store").json({ options });
  });

  router.post("/api/account/passkeys", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const parsed = AddSchema.safeParse(await readJson(req, res));
    if (!parsed.success) return invalid(res);
    const { response, name } = parsed.data;
    const challenge = challengeOf(response.response.clientDataJSON);
    const issued = challenge ? await passkeys.takeChallenge(challenge, now()) : undefined;
    if (!challenge || issued?.userId !== session.user.id) return invalid(res);
    const credential = await verifyRegistration(req, response, challenge, config.allowedOrigins);
    if (!credential) return invalid(res);
    const record = {
      ...credential,
      userId: session.user.id,
      name: passkeyName(name, (await passkeys.of(session.user.id)).length),
      createdAt: now(),
      lastUsedAt: null,
    };
    if (!(await passkeys.add(record))) return invalid(res);
    // The user is secured now: its cookie gets the longer lifetime.
    refreshBrowserSession(deps, req, res, { secured: true });
    res.status(201).json({
      passkey: { id: record.id, name: record.name, createdAt: record.createdAt },
    });
  });

  router.delete("/api/account/passkeys/:id", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    const id = IdSchema.safeParse(req.params.id);
    const outcome = id.success ? await passkeys.remove(session.user.id, id.data) : "not_found";
    if (outcome === "not_found") return sendError(res, ErrorCodes.notFound);
    if (outcome === "last_credential") return sendError(res, ErrorCodes.lastCredential);
    res.status(204).end();
  });

  router.post("/api/passkey/options", async (req, res) => {
    const options = await authenticationOptions(req);
    await passkeys.saveChallenge(options.challenge, null, now() + CHALLENGE_TTL_MS);
    res.set("Cache-Control", "no-store").json({ options });
  });

  router.post("/api/passkey/login", async (req, res) => {
    const ip = clientIp(req);
    if (!(await deps.logins.allow(ip))) return refuse(res, ErrorCodes.rateLimited);
    const parsed = LoginSchema.safeParse(await readJson(req, res));
    if (!parsed.success) return refuse(res, ErrorCodes.badCredentials);
    const { response } = parsed.data;
    const challenge = challengeOf(response.response.clientDataJSON);
    const issued = challenge ? await passkeys.takeChallenge(challenge, now()) : undefined;
    const passkey = await passkeys.get(response.id);
    if (!challenge || !issued || issued.userId !== null || !passkey) {
      return refuse(res, ErrorCodes.badCredentials);
    }
    const checks = deps.logins.checks;
    if (await checks.locked(passkey.userId)) return refuse(res, ErrorCodes.rateLimited);
    const counter = await verifyAuthentication(
      req,
      response,
      challenge,
      passkey,
      config.allowedOrigins,
    );
    // A counter that did not move forward (a cloned authenticator?) is refused, atomically.
    if (counter === null || !(await passkeys.use(passkey.id, counter, now()))) {
      await checks.failed(passkey.userId);
      return refuse(res, ErrorCodes.badCredentials);
    }
    await endPreviousSession(deps, req);
    const result = await sessions.startSession(passkey.userId, ip);
    if (!result.ok) return refuse(res, result.code);
    setBrowserSession(deps, req, res, result);
    res.json({ token: result.token, user: result.user });
  });

  return router;
}
