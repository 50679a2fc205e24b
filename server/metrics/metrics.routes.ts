// GET /metrics: for whoever holds METRICS_TOKEN, or a scraper on this machine. Anyone else
// gets the same 404 as for a path that does not exist.
import crypto from "node:crypto";
import { Router, type Request } from "express";
import type { ChatMetrics } from "./metrics";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
// A request a proxy forwarded arrives from loopback too: it is not local.
const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip"];

export function metricsRoutes(metrics: ChatMetrics, token: string | undefined): Router {
  const router = Router();
  router.get("/metrics", (req, res, next) => {
    if (!hasToken(req, token) && !fromLoopback(req)) return next();
    metrics.render().then(({ contentType, body }) => {
      res.set("content-type", contentType).set("cache-control", "no-store").send(body);
    }, next);
  });
  return router;
}

function fromLoopback(req: Request): boolean {
  if (PROXY_HEADERS.some((h) => req.headers[h] !== undefined)) return false;
  return LOOPBACK.has(req.socket.remoteAddress ?? "");
}

function hasToken(req: Request, token: string | undefined): boolean {
  const header = req.headers.authorization;
  if (!token || !header?.startsWith("Bearer ")) return false;
  const given = crypto.createHash("sha256").update(header.slice(7)).digest();
  const wanted = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(given, wanted);
}
