// Opens the conversation a URL names: `/chat#r:<room id>` (the group room is `r:group`) or
// `/chat#with:<nickname>`, from a notification click (the service worker posts it to an open
// page, or opens a new one at that URL) or a hash change. Applied once the conversation is
// known (after the `rooms` snapshot), then the hash is cleared.
import { nicknameKey } from "../../../common/names";
import type { ChatSocket } from "./connection";
import type { ChatController } from "./controller";
import { roomKey } from "./conversation";

type Link = { room: string } | { with: string };

export function parseLink(hash: string): Link | null {
  const m = /^#(r|with):(.+)$/.exec(hash);
  if (!m) return null;
  let value: string;
  try {
    value = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  return m[1] === "r" ? { room: value } : { with: value };
}

export function followLinks(chat: ChatController, socket: ChatSocket): void {
  let pending = parseLink(location.hash);
  const apply = () => {
    if (!pending || !open(chat, pending)) return;
    pending = null;
    history.replaceState(null, "", location.pathname + location.search);
  };
  // After RoomsSync (registered first) has taken the snapshot in.
  socket.on("rooms", () => queueMicrotask(apply));
  socket.on("online", () => queueMicrotask(apply));
  // A peer not known yet may be announced a moment later.
  socket.on("presence", () => queueMicrotask(apply));
  window.addEventListener("hashchange", () => {
    pending = parseLink(location.hash);
    apply();
  });
  navigator.serviceWorker?.addEventListener("message", (e: MessageEvent) => {
    const data = e.data as { type?: string; url?: unknown } | null;
    if (data?.type !== "open" || typeof data.url !== "string") return;
    pending = parseLink(new URL(data.url, location.href).hash);
    apply();
  });
}

function open(chat: ChatController, link: Link): boolean {
  if ("room" in link) {
    const key = roomKey(link.room);
    if (!chat.convs.has(key)) return false;
    chat.open(key);
    return true;
  }
  const key = nicknameKey(link.with);
  const known = [...chat.convs.values()].find((c) => c.peer && nicknameKey(c.peer.name) === key);
  const peer = known?.peer ?? chat.sidebar.others().find((u) => nicknameKey(u.name) === key);
  if (!peer) return false;
  chat.openPrivate(peer);
  return true;
}
