// What a push says: who wrote (and where), the start of the text, where a click goes, and a
// tag per conversation so a burst shows as one notification.
import type { Message, PushPayload } from "../../common/events";
import { customAvatarUrl } from "../auth/avatars";
import type { Conversation } from "../conversations/conversation";

export type { PushPayload };

/** Push services take about 4 KB; the text is cut well before. */
const BODY_MAX = 180;
/** Notifications need a raster image: built-in avatars are SVG, so they show the app's icon. */
export const APP_ICON = "/icons/icon-192.png";

export function pushPayload(message: Message, conv: Conversation): PushPayload {
  const from = message.from.name;
  const place = conv.kind === "room" ? conv.room.name : conv.kind === "group" ? "Group" : null;
  return {
    title: place ? `${from} in ${place}` : from,
    body: cut(message.content.trim()) || "…",
    url: conversationUrl(message, conv),
    tag: conv.key,
    icon: customAvatarUrl(message.from.avatar) ?? APP_ICON,
  };
}

/** `/chat#r:<room id>` (the group room is `r:group`) or `/chat#with:<nickname>`. */
export function conversationUrl(message: Message, conv: Conversation): string {
  if (conv.kind === "direct") return `/chat#with:${encodeURIComponent(message.from.name)}`;
  const id = conv.kind === "room" ? conv.room.id : "group";
  return `/chat#r:${encodeURIComponent(id)}`;
}

function cut(text: string): string {
  const points = [...text];
  return points.length > BODY_MAX ? `${points.slice(0, BODY_MAX - 1).join("")}…` : text;
}
