// Everything a client can reach, in one table: the fuzz tests walk it. A new event or route
// is one line here (e.g. the Web Push routes and the `notify` event, when they land).

/** Every client → server Socket.IO event. */
export const SOCKET_EVENTS: readonly string[] = [
  "textmsg",
  "history",
  "typing",
  "read",
  "room:create",
  "room:list",
  "room:join",
  "room:leave",
  "room:add",
  "room:update",
  "room:delete",
  "room:members",
  "message:edit",
  "message:delete",
  "message:react",
  "search",
  "moderate",
  "notify",
];

export type Method = "GET" | "POST" | "DELETE";
export type Route = {
  method: Method;
  /** `:param` parts are filled by the fuzzer. */
  path: string;
  /** Statuses the contract (or docs/protocol.md) allows for this route. */
  statuses: readonly number[];
};

const JSON_ERRORS = [400, 401, 403, 404, 409, 410, 413, 429];

/** Every HTTP route, with the statuses it may answer. */
export const HTTP_ROUTES: readonly Route[] = [
  { method: "GET", path: "/", statuses: [200, 303] },
  { method: "GET", path: "/chat", statuses: [200, 303] },
  { method: "GET", path: "/join/:code", statuses: [200, 303] },
  { method: "GET", path: "/healthz", statuses: [200] },
  { method: "GET", path: "/api/avatars", statuses: [200] },
  { method: "POST", path: "/login", statuses: [303, 400, 403, 409, 429] },
  { method: "POST", path: "/logout", statuses: [303, 400, 403] },
  { method: "POST", path: "/api/session", statuses: [201, 400, 403, 409, 410, 429] },
  { method: "GET", path: "/api/session", statuses: [200, 401] },
  { method: "DELETE", path: "/api/session", statuses: [204, 401] },
  { method: "POST", path: "/api/devices", statuses: [201, 401, 403, 429] },
  { method: "GET", path: "/link/:code", statuses: [200, 410, 429] },
  { method: "POST", path: "/link/:code", statuses: [303, 400, 403, 410, 429] },
  { method: "POST", path: "/api/admin", statuses: [200, 400, 401, 403, 429] },
  { method: "GET", path: "/admin/:code", statuses: [200, 401] },
  { method: "POST", path: "/admin/:code", statuses: [303, 400, 403, 429] },
  { method: "POST", path: "/api/uploads", statuses: [201, 400, 401, 403, 413, 429] },
  { method: "GET", path: "/uploads/:id", statuses: [200, 304, 404] },
  { method: "GET", path: "/uploads/:id/thumb", statuses: [200, 304, 404] },
  // Unknown paths and static files.
  { method: "GET", path: "/:code", statuses: [200, 404] },
  { method: "POST", path: "/:code", statuses: JSON_ERRORS },
  { method: "GET", path: "/api/push", statuses: [200] },
  { method: "POST", path: "/api/push", statuses: [201, 400, 401, 403, 429] },
  { method: "DELETE", path: "/api/push", statuses: [204, 400, 401, 403, 429] },
  { method: "POST", path: "/api/account/passkeys/options", statuses: [200, 401, 403] },
  { method: "POST", path: "/api/account/passkeys", statuses: [201, 400, 401, 403] },
  { method: "DELETE", path: "/api/account/passkeys/:code", statuses: [204, 401, 403, 404, 409] },
  { method: "POST", path: "/api/passkey/options", statuses: [200, 403] },
  { method: "POST", path: "/api/passkey/login", statuses: [200, 401, 403, 429] },
];
