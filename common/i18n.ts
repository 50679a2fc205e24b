// One string catalogue per language, used by the server-rendered views and the browser bundle.
import type { ErrorCode } from "./events";

export type Lang = "en" | "zh";

const en = {
  htmlLang: "en",
  appName: "Group chat",
  loginTitle: "Join the chat",
  nickname: "Nickname",
  avatar: "Avatar",
  enter: "Enter",
  errors: {
    invalid_name: "Nicknames are 1 to 24 letters, digits, spaces, underscores, hyphens or dots.",
    invalid_avatar: "Choose one of the avatars.",
    name_taken: "That nickname is in use. Choose another one.",
    bad_request: "Something was wrong with the form. Please try again.",
    forbidden_origin: "This request came from another site.",
  } as Partial<Record<ErrorCode, string>>,
};

export type Catalogue = typeof en;

const zh: Catalogue = {
  htmlLang: "zh-CN",
  appName: "群聊",
  loginTitle: "加入聊天",
  nickname: "昵称",
  avatar: "头像",
  enter: "进入",
  errors: {
    invalid_name: "昵称为 1 到 24 个字母、数字、空格、下划线、连字符或点。",
    invalid_avatar: "请选择一个头像。",
    name_taken: "该昵称已被使用，请换一个。",
    bad_request: "表单有误，请重试。",
    forbidden_origin: "该请求来自其他网站。",
  },
};

export const CATALOGUES: Record<Lang, Catalogue> = { en, zh };

/** English by default; Simplified Chinese when the browser prefers zh. */
export function pickLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}
