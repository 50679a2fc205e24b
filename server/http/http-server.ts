import http from "node:http";
import type { Express } from "express";

/**
 * Against slowloris: a client must send its request headers within 10 s and the whole request
 * within 30 s, checked every 2 s (Node's defaults: 60 s, 300 s, checked every 30 s). An idle
 * keep-alive connection is closed after 5 s. WebSocket connections, once upgraded, are not
 * HTTP requests any more; long-polling GETs finish sending at once.
 */
export const HTTP_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 2_000,
} as const;

export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersTimeout,
      requestTimeout: HTTP_TIMEOUTS.requestTimeout,
      connectionsCheckingInterval: HTTP_TIMEOUTS.connectionsCheckingInterval,
    },
    app,
  );
  server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeout;
  return server;
}
