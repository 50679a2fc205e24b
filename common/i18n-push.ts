// Strings of the installable app and Web Push: the notification level menu of a conversation.
export const pushEn = {
  notifyMenu: "Notifications",
  levelAll: "All",
  levelMentions: "Mentions",
  levelNone: "Nothing",
  levelSaveFailed: "Could not change notifications; try again when connected.",
};

export const pushZh: typeof pushEn = {
  notifyMenu: "通知",
  levelAll: "全部",
  levelMentions: "仅提及",
  levelNone: "不通知",
  levelSaveFailed: "无法更改通知设置；请在连接后重试。",
};
