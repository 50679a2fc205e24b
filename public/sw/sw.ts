// The service worker (built to /sw.js, scope /): the app shell and static files from a cache
// named after the build, so a new release replaces the old one; Web Push notifications; a
// click focuses the chat (or opens it) at the conversation; the app badge counts unread.
/// <reference lib="webworker" />
export {};
declare const self: ServiceWorkerGlobalScope;
/** Set by scripts/build.mjs: a hash of every cached file, and their paths. */
declare const __SW_VERSION__: string;
declare const __PRECACHE__: string[];

type PushPayload = { title: string; body: string; url: string; tag: string; icon: string };

const CACHE = `chat-${__SW_VERSION__}`;
const STATE = "chat-state";
const SHELL = "/chat";
const BADGE_KEY = "/__badge";
const APP_ICON = "/icons/icon-192.png";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(__PRECACHE__.map((p) => new Request(p, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // The page cached by the previous release goes with it: its scripts are gone too.
      for (const name of await caches.keys()) {
        if (name !== CACHE && name !== STATE) await caches.delete(name);
      }
      // The page that registered us never passed through this worker (it was not there yet):
      // cache it now, before taking control, so the first reload offline already works.
      await refreshShell();
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL && request.method === "GET") {
    return event.respondWith(shell(request));
  }
  // Logging out: this browser's copy of the page (who was logged in) goes.
  if (request.method === "POST" && url.pathname === "/logout") {
    event.waitUntil(caches.open(CACHE).then((c) => c.delete(SHELL)));
    return;
  }
  if (request.method === "GET" && __PRECACHE__.includes(url.pathname)) {
    event.respondWith(staticFile(request, url.pathname));
  }
});

/**
 * Network first here too: a page fetched from a new release must not run the previous
 * release's script from this cache before the new worker takes over. Offline, the copy
 * precached with this worker's release.
 */
async function staticFile(request: Request, path: string): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(path, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

/** Network first (the page carries who is logged in); the cached copy when offline. */
async function shell(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    await keepShell(cache, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(SHELL);
    if (cached) return cached;
    throw error;
  }
}

/** Keeps a fetched chat page; a redirect (to the login page) means the session ended. */
async function keepShell(cache: Cache, response: Response): Promise<void> {
  if (response.ok && !response.redirected) await cache.put(SHELL, response);
  else if (response.redirected || response.type === "opaqueredirect") await cache.delete(SHELL);
}

/** Fetches /chat with this browser's cookie into the cache; offline, keeps what is there. */
async function refreshShell(): Promise<void> {
  try {
    const response = await fetch(SHELL, {
      credentials: "same-origin",
      redirect: "manual",
      cache: "no-store",
    });
    await keepShell(await caches.open(CACHE), response);
  } catch {
    // Offline or the server is down: the copy we have, if any, stays.
  }
}

self.addEventListener("push", (event) => {
  const payload = readPayload(event.data);
  if (!payload) return;
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(payload.title, {
        body: payload.body,
        tag: payload.tag,
        icon: payload.icon,
        badge: "/icons/maskable-192.png",
        data: { url: payload.url },
      });
      await setBadge((await badge()) + 1);
    })(),
  );
});

function readPayload(data: PushMessageData | null): PushPayload | null {
  try {
    const p = data?.json() as Partial<PushPayload> | undefined;
    if (typeof p?.title !== "string" || typeof p.url !== "string") return null;
    return {
      title: p.title,
      body: String(p.body ?? ""),
      url: p.url,
      tag: String(p.tag ?? ""),
      icon: sameOrigin(p.icon) ?? APP_ICON,
    };
  } catch {
    return null;
  }
}

/** A same-origin picture's URL (the sender's uploaded avatar); nothing from elsewhere. */
function sameOrigin(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  try {
    const url = new URL(raw, self.location.origin);
    return url.origin === self.location.origin ? url.href : null;
  } catch {
    return null;
  }
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const raw = (event.notification.data as { url?: unknown } | null)?.url;
  // Only our own chat page, whatever the payload says.
  const target = new URL(typeof raw === "string" ? raw : SHELL, self.location.origin);
  const url = target.origin === self.location.origin ? target.href : SHELL;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).pathname === SHELL);
      if (!open) return void (await self.clients.openWindow(url));
      open.postMessage({ type: "open", url });
      await open.focus();
    })(),
  );
});

// The page tells us the unread count while it is open; pushes add to it while it is not.
self.addEventListener("message", (event) => {
  const data = event.data as { type?: string; count?: unknown } | null;
  if (data?.type === "badge" && typeof data.count === "number") {
    event.waitUntil(setBadge(data.count));
  }
  // A chat page that did not come through this worker (just logged in, or a hard reload).
  if (data?.type === "shell") event.waitUntil(refreshShell());
});

async function badge(): Promise<number> {
  const hit = await (await caches.open(STATE)).match(BADGE_KEY);
  return hit ? Number(await hit.text()) || 0 : 0;
}

async function setBadge(count: number): Promise<void> {
  await (await caches.open(STATE)).put(BADGE_KEY, new Response(String(count)));
  const nav = self.navigator as WorkerNavigator & {
    setAppBadge?: (n?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  if (count > 0) await nav.setAppBadge?.(count).catch(() => {});
  else await nav.clearAppBadge?.().catch(() => {});
}
