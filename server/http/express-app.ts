import path from "node:path";
import cookieParser from "cookie-parser";
import express, { type ErrorRequestHandler, type Express } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { ErrorCodes } from "../../common/events";
import { accountRoutes } from "../accounts/account.routes";
import { authRoutes } from "../auth/auth.routes";
import { sendError } from "./errors";
import { adminRoutes } from "../admin/admin.routes";
import { deviceRoutes } from "../devices/devices.routes";
import { PROJECT_ROOT } from "../config/paths";
import { metricsRoutes } from "../metrics/metrics.routes";
import { pageRoutes } from "../pages/pages.routes";
import { uploadRoutes } from "../uploads/uploads.routes";
import { avatarRoutes } from "../accounts/avatar.routes";
import { pushRoutes } from "../push/push.routes";
import { passkeyRoutes } from "../accounts/passkeys.routes";
import type { HttpDeps } from "./deps";
import { originAllowed } from "./origin";

export type Health = { state: "starting" | "ready" | "draining" };

export function createExpressApp(deps: HttpDeps, health: Health, log: Logger): Express {
  const { config } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.set("views", path.join(PROJECT_ROOT, "views"));
  app.set("view engine", "ejs");

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          // The service worker (/sw.js) and /manifest.webmanifest, same origin only.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Allow the page's own http:// origin in local setups; HSTS belongs to the TLS proxy.
      strictTransportSecurity: false,
      // With no-referrer, Chromium sends `Origin: null` on same-site form posts, which the
      // origin check below must refuse; same-origin keeps the real Origin on our own posts.
      referrerPolicy: { policy: "same-origin" },
    }),
  );

  app.get("/healthz", (_req, res) => {
    if (health.state === "ready") res.json({ status: "ok" });
    else res.status(503).json({ status: health.state });
  });

  app.use(metricsRoutes(deps.metrics, config.metricsToken));

  // State-changing requests from another site are refused (login CSRF, session fixation).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    if (!originAllowed(req, config.allowedOrigins, config.trustProxy)) {
      res
        .status(403)
        .json({ error: { code: ErrorCodes.forbiddenOrigin, message: "Origin not allowed." } });
      return;
    }
    next();
  });

  app.use(cookieParser(config.sessionSecret));
  app.use(authRoutes(deps));
  app.use(accountRoutes(deps, log));
  app.use(deviceRoutes(deps));
  app.use(adminRoutes(deps));
  app.use(uploadRoutes(deps, deps.uploads));
  // Before the static files: /avatars/custom/<id>.webp is not under public/avatars.
  app.use(avatarRoutes(deps));
  app.use(pushRoutes(deps));
  app.use(passkeyRoutes(deps));
  app.use(pageRoutes(deps));
  app.use(
    express.static(path.join(PROJECT_ROOT, "public"), {
      index: false,
      maxAge: "1h",
      // The worker is checked for updates on every visit: never from an HTTP cache.
      setHeaders: (res, file) => {
        if (file === path.join(PROJECT_ROOT, "public", "sw.js"))
          res.set("Cache-Control", "no-cache");
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: { code: "not_found", message: "Not found." } });
  });

  const onError: ErrorRequestHandler = (
    err: { type?: string; status?: number },
    _req,
    res,
    _next,
  ) => {
    if (
      err.type === "entity.parse.failed" ||
      err.type === "entity.too.large" ||
      err.status === 400 ||
      err.status === 413
    ) {
      return sendError(res, ErrorCodes.badRequest);
    }
    log.error({ err }, "request failed");
    res.status(500).json({ error: { code: ErrorCodes.internal, message: "Internal error." } });
  };
  app.use(onError);
  return app;
}
