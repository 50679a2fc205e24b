import type { Request, Response } from "express";
import { CATALOGUES, pickLang, type Lang } from "../../common/i18n";
import type { ErrorCode, User } from "../../common/events";
import type { SentencePart } from "../../common/sentence";
import { AVATARS, customAvatarUrl } from "../auth/avatars";

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

export type LoginView = {
  error?: ErrorCode;
  name?: string;
  avatar?: unknown;
  /** The invite code typed, or given by a /join/<code> link. */
  code?: unknown;
  /** The code is right: carried in a hidden field instead of the `Invite code` textbox. */
  codeOk?: boolean;
  inviteOnly?: boolean;
  /** (v3) The nickname is a secured user's: the page asks for its `Password`. */
  secured?: boolean;
};

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
    inviteOnly: view.inviteOnly === true,
    code: typeof view.code === "string" ? view.code : "",
    codeOk: view.codeOk === true,
    secured: view.secured === true,
  });
}

/** A page with one button that POSTs to `action` (device links, the admin claim). */
export type ConfirmView = {
  title: string;
  /** Sentences with names in them: each name is rendered in its own `<bdi>`. */
  intro: readonly SentencePart[];
  button: readonly SentencePart[];
  action: string;
  error?: string;
};

export function renderConfirm(req: Request, res: Response, status: number, view: ConfirmView) {
  const lang = requestLang(req);
  res.vary("Accept-Language");
  res.set("Cache-Control", "no-store");
  res.status(status).render("confirm", { t: CATALOGUES[lang], lang, error: null, ...view });
}

/** The chat page; the browser bundle reads the language and the user from data attributes. */
export function renderChat(req: Request, res: Response, user: User): void {
  const lang = requestLang(req);
  const avatar = AVATARS.find((a) => a.id === user.avatar) ?? AVATARS[0];
  // The Account dialog's avatar radios are named by these labels, as on the login page.
  const avatars = AVATARS.map(({ id, url, label }) => ({ id, url, label: label[lang] }));
  res.vary("Accept-Language");
  res.render("chat", {
    t: CATALOGUES[lang],
    lang,
    user,
    avatars,
    avatarUrl: customAvatarUrl(user.avatar) ?? avatar.url,
  });
}
