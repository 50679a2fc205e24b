import express, {
  type ErrorRequestHandler,
  type Request,
  type Response,
  type Router,
} from "express";
import { ErrorCodes } from "../../common/events";
import { sessionOf, type HttpDeps } from "../http/deps";
import { sendError } from "../http/errors";
import { endpointAllowed } from "./endpoint-check";
import { SubscriptionSchema, UnsubscribeSchema } from "./schemas";

const json = express.json({ limit: "8kb", type: () => true });

/** The JSON body, read only once the budget allowed it; errors go to `onError` below. */
function readJson(req: Request, res: Response): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) =>
    json(req, res, (err?: unknown) => (err ? reject(err) : resolve(req.body))),
  );
}

function invalid(res: Response, message = "Not a push subscription this server may use."): void {
  res.status(400).json({ error: { code: ErrorCodes.invalid, message } });
}

/** GET the VAPID public key; POST a subscription; DELETE one by endpoint. */
export function pushRoutes(deps: HttpDeps): Router {
  const router = express.Router();
  const { config, push } = deps;

  router.get("/api/push", (_req, res) => {
    res.json({ publicKey: config.vapid.publicKey });
  });

  router.post("/api/push", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    // The budget comes before the body and its DNS lookup, so lookups cannot be flooded.
    if (!(await deps.pushSubscriptions.take(session.user.id))) {
      res.set("Retry-After", "60");
      return sendError(res, ErrorCodes.rateLimited);
    }
    const parsed = SubscriptionSchema.safeParse(await readJson(req, res));
    if (!parsed.success) return invalid(res);
    const { endpoint, keys } = parsed.data;
    if (!(await endpointAllowed(endpoint, config.pushEndpointAllowlist, deps.pushLookup))) {
      return invalid(res, "Push endpoints must be https: and public.");
    }
    await push.subscribe(session.user.id, { endpoint, ...keys }, Date.now());
    res.status(201).json({});
  });

  // Unsubscribing shares the subscription budget, counted before the body is read.
  router.delete("/api/push", async (req, res) => {
    const session = await sessionOf(deps, req);
    if (!session) return sendError(res, ErrorCodes.unauthorized);
    if (!(await deps.pushSubscriptions.take(session.user.id))) {
      res.set("Retry-After", "60");
      return sendError(res, ErrorCodes.rateLimited);
    }
    const parsed = UnsubscribeSchema.safeParse(await readJson(req, res));
    if (!parsed.success) return invalid(res);
    await push.unsubscribe(session.user.id, parsed.data.endpoint);
    res.status(204).end();
  });

  // A body that is not JSON, or too large, is `invalid` here (the contract's code for push).
  const onError: ErrorRequestHandler = (
    err: { type?: string; status?: number },
    _req,
    res,
    next,
  ) => {
    if (err.type?.startsWith("entity.") || err.status === 400 || err.status === 413) {
      return invalid(res, "The body must be a JSON push subscription.");
    }
    next(err);
  };
  router.use("/api/push", onError);
  return router;
}
