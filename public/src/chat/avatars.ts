// People's pictures as they are now. A message keeps the picture its sender had when it was
// sent; the page shows everyone's newest one instead: learnt from the `user` event (someone
// changed it), the online list and presence, and drawn by user id wherever it appears.
import type { User } from "../../../common/events";
import { avatarUrl, h } from "./dom";

/** User id → its newest avatar id (built-in or `custom:<id>`) this page knows of. */
const newest = new Map<string, string>();

/**
 * `user`'s picture is current (the `user` event, the online list, presence): every picture of
 * it on the page shows it, and so do those drawn later.
 */
export function rememberAvatar(user: Pick<User, "id" | "avatar">): void {
  if (newest.get(user.id) === user.avatar) return;
  newest.set(user.id, user.avatar);
  const selector = `img[data-user-id="${CSS.escape(user.id)}"]`;
  for (const img of document.querySelectorAll<HTMLImageElement>(selector)) {
    img.src = avatarUrl(user.avatar);
  }
}

/** `user` as it looks now: its newest known picture, whatever the object carried. */
export function withNewestAvatar<T extends Pick<User, "id" | "avatar">>(user: T): T {
  const avatar = newest.get(user.id);
  return avatar === undefined || avatar === user.avatar ? user : { ...user, avatar };
}

/** `user`'s picture, redrawn by `rememberAvatar` when it changes. */
export function userAvatarImg(
  user: Pick<User, "id" | "avatar">,
  size: number,
  className = "avatar",
): HTMLImageElement {
  const img = h("img", {
    class: className,
    attrs: { alt: "", width: `${size}`, height: `${size}` },
  });
  showAvatar(img, user);
  return img;
}

/** Points `img` at `user`'s newest picture, and marks it as `user`'s. */
export function showAvatar(img: HTMLImageElement, user: Pick<User, "id" | "avatar">): void {
  img.dataset.userId = user.id;
  img.src = avatarUrl(withNewestAvatar(user).avatar);
}
