// The installable app in the page: registers the service worker, subscribes this browser to
// Web Push (after the user allowed notifications), unsubscribes it on logout, and keeps the
// app badge at the unread count.
const worker = () => ("serviceWorker" in navigator ? navigator.serviceWorker : null);

export const pushSupported = () =>
  worker() !== null && "PushManager" in window && "Notification" in window;

export function registerWorker(): void {
  const sw = worker();
  if (!sw) return;
  // A page the worker did not serve (the first visit, right after logging in, or a hard
  // reload) is not in its cache yet: ask it to fetch a copy, so a reload offline works.
  const served = sw.controller !== null;
  sw.register("/sw.js", { scope: "/" }).catch(() => {});
  if (!served) void sw.ready.then((reg) => reg.active?.postMessage({ type: "shell" }));
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const x = new Uint8Array(a);
  return x.every((v, i) => v === b[i]);
}

/** Subscribes (or refreshes) this browser's push subscription; true when the server has it. */
export async function subscribePush(): Promise<boolean> {
  const sw = worker();
  if (!pushSupported() || !sw || Notification.permission !== "granted") return false;
  try {
    const reg = await sw.ready;
    const res = await fetch("/api/push", { credentials: "same-origin" });
    const key = keyBytes(((await res.json()) as { publicKey: string }).publicKey);
    let sub = await reg.pushManager.getSubscription();
    // Subscribed under another server key (keys replaced): start over.
    if (sub && !sameKey(sub.options.applicationServerKey, key)) {
      await sub.unsubscribe();
      sub = null;
    }
    sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const posted = await fetch("/api/push", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(sub.toJSON()),
    });
    return posted.status === 201;
  } catch {
    return false;
  }
}

/** Before logging out: this browser stops receiving the user's pushes. */
async function unsubscribePush(): Promise<void> {
  const sub = await (await worker()?.getRegistration())?.pushManager.getSubscription();
  if (!sub) return;
  await fetch("/api/push", {
    method: "DELETE",
    credentials: "same-origin",
    keepalive: true,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ endpoint: sub.endpoint }),
  }).catch(() => {});
  await sub.unsubscribe().catch(() => false);
}

export function unsubscribeOnLogout(form: HTMLFormElement): void {
  let leaving = false;
  form.addEventListener("submit", (e) => {
    if (leaving || !worker()) return;
    e.preventDefault();
    leaving = true;
    const timeout = new Promise((r) => setTimeout(r, 1500));
    void Promise.race([unsubscribePush(), timeout]).finally(() => form.submit());
  });
}

type BadgeNavigator = Navigator & {
  setAppBadge?: (n?: number) => Promise<void>;
  clearAppBadge?: () => Promise<void>;
};

/** The unread count on the installed app's icon, where the platform shows badges. */
export function reportUnread(total: number): void {
  const nav = navigator as BadgeNavigator;
  if (total > 0) void nav.setAppBadge?.(total).catch(() => {});
  else void nav.clearAppBadge?.().catch(() => {});
  // The worker adds pushes to this count while no page is open.
  worker()?.controller?.postMessage({ type: "badge", count: total });
}
