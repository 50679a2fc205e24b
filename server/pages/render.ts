import type { Request, Response } from "express";
import { CATALOGUES, pickLang, type Lang } from "../../common/i18n";
import type { ErrorCode, User } from "../../common/events";
import { AVATARS } from "../auth/avatars";

export function requestLang(req: Request): Lang {
  const header = req.headers["accept-language"];
  if (!header) return "en";
  const tags = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((t) => t.tag);
  return pickLang(tags);
}

export type LoginView = { error?: ErrorCode; name?: string; avatar?: unknown };

export function renderLogin(req: Request, res: Response, status: number, view: LoginView): void {
  const lang = requestLang(req);
  const t = CATALOGUES[lang];
  const selected = typeof view.avatar === "string" ? view.avatar : AVATARS[0].id;
  res.vary("Accept-Language");
  res.status(status).render("login", {
    t,
    lang,
    avatars: AVATARS,
    selected: AVATARS.some((a) => a.id === selected) ? selected : AVATARS[0].id,
    name: view.name ?? "",
    error: view.error ? (t.errors[view.error] ?? view.error) : null,
  });
}

/** The chat page; the browser bundle reads the language and the user from data attributes. */
export function renderChat(req: Request, res: Response, user: User): void {
  const lang = requestLang(req);
  const avatar = AVATARS.find((a) => a.id === user.avatar) ?? AVATARS[0];
  res.vary("Accept-Language");
  res.render("chat", { t: CATALOGUES[lang], lang, user, avatarUrl: avatar.url });
}
