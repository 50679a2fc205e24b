// One string catalogue per language, used by the server-rendered views and the browser bundle.
import type { ErrorCode } from "./events";

export type Lang = "en" | "zh";

const en = {
  htmlLang: "en",
  appName: "Group chat",
  loginTitle: "Join the chat",
  loginIntro: "Pick a nickname and an avatar. No password, no sign-up.",
  nickname: "Nickname",
  nicknameHint: "1 to 24 letters, digits, spaces, _ - or .",
  avatar: "Avatar",
  enter: "Enter",
  errors: {
    invalid_name: "Nicknames are 1 to 24 letters, digits, spaces, underscores, hyphens or dots.",
    invalid_avatar: "Choose one of the avatars.",
    name_taken: "That nickname is in use. Choose another one.",
    bad_request: "Something was wrong with the form. Please try again.",
    forbidden_origin: "This request came from another site.",
  } as Partial<Record<ErrorCode, string>>,
  // Chat page
  group: "Group",
  groupSubtitle: "Everyone online can read this room",
  privateLabel: "Private conversation",
  privateNotice: (name: string) => `Only you and ${name} can see these messages.`,
  peerOffline: (name: string) => `${name} is offline`,
  online: (count: number) => `${count} online`,
  onlineUsers: "Online users",
  you: "(you)",
  toggleUsers: "Online users and rooms",
  messages: "Messages",
  message: "Message",
  placeholderGroup: "Message the group",
  placeholderPrivate: (name: string) => `Message ${name} privately`,
  send: "Send",
  logout: "Log out",
  today: "Today",
  yesterday: "Yesterday",
  typingOne: (name: string) => `${name} is typing…`,
  typingTwo: (a: string, b: string) => `${a} and ${b} are typing…`,
  typingMany: "Several people are typing…",
  newMessages: "New messages",
  loadingOlder: "Loading older messages…",
  historyStart: "This is the beginning of the conversation.",
  empty: "No messages yet. Say hello!",
  disconnected: "Connection lost. Reconnecting… What you send now is delivered when it is back.",
  pending: "Waiting to send…",
  notSent: "Not sent",
  discard: "Discard",
  sendErrors: {
    unknown_recipient: "That user is no longer here.",
    invalid: "Messages are 1 to 2000 characters.",
    internal: "The server could not store it.",
  } as Partial<Record<ErrorCode, string>>,
  unread: (count: number) => `${count} unread`,
  notificationsOn: "Turn on notifications",
  notificationTitle: (name: string) => `${name} (private)`,
};

export type Catalogue = typeof en;

const zh: Catalogue = {
  htmlLang: "zh-CN",
  appName: "群聊",
  loginTitle: "加入聊天",
  loginIntro: "选一个昵称和头像即可，无需密码，无需注册。",
  nickname: "昵称",
  nicknameHint: "1 到 24 个字母、数字、空格、_、- 或 .",
  avatar: "头像",
  enter: "进入",
  errors: {
    invalid_name: "昵称为 1 到 24 个字母、数字、空格、下划线、连字符或点。",
    invalid_avatar: "请选择一个头像。",
    name_taken: "该昵称已被使用，请换一个。",
    bad_request: "表单有误，请重试。",
    forbidden_origin: "该请求来自其他网站。",
  },
  group: "群组",
  groupSubtitle: "所有在线的人都能看到这里的消息",
  privateLabel: "私聊",
  privateNotice: (name) => `只有你和 ${name} 能看到这些消息。`,
  peerOffline: (name) => `${name} 已离线`,
  online: (count) => `${count} 人在线`,
  onlineUsers: "在线用户",
  you: "（你）",
  toggleUsers: "在线用户和聊天室",
  messages: "消息",
  message: "消息",
  placeholderGroup: "发送消息到群组",
  placeholderPrivate: (name) => `私聊 ${name}`,
  send: "发送",
  logout: "退出",
  today: "今天",
  yesterday: "昨天",
  typingOne: (name) => `${name} 正在输入…`,
  typingTwo: (a, b) => `${a} 和 ${b} 正在输入…`,
  typingMany: "多人正在输入…",
  newMessages: "新消息",
  loadingOlder: "正在加载更早的消息…",
  historyStart: "这是对话的开始。",
  empty: "还没有消息，打个招呼吧！",
  disconnected: "连接已断开，正在重连…现在发送的消息会在恢复后送达。",
  pending: "等待发送…",
  notSent: "未发送",
  discard: "删除",
  sendErrors: {
    unknown_recipient: "该用户已不在线。",
    invalid: "消息为 1 到 2000 个字符。",
    internal: "服务器无法保存该消息。",
  },
  unread: (count) => `${count} 条未读`,
  notificationsOn: "开启通知",
  notificationTitle: (name) => `${name}（私聊）`,
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
