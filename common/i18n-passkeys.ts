// Strings of passkey sign-in on the login page, spread into common/i18n.ts (the login page's
// script imports only these).
export const passkeysEn = {
  passkeyOr: "or",
  passkeySignIn: "Sign in with a passkey",
  passkeyUnavailable:
    "Passkeys need a secure (https) address or localhost, so they cannot be used on this address.",
  passkeyCancelled: "Passkey sign-in was cancelled or timed out.",
  passkeyRejected: "That passkey was not accepted. Try again, or use another way to sign in.",
  passkeyBanned: "You are banned from this chat for now.",
  passkeyRateLimited: "Too many sign-ins. Try again in a few minutes.",
  passkeyFailed: "Could not sign in with a passkey. Try again.",
};

export const passkeysZh: typeof passkeysEn = {
  passkeyOr: "或",
  passkeySignIn: "使用通行密钥登录",
  passkeyUnavailable: "通行密钥需要安全（https）地址或 localhost，因此无法在此地址上使用。",
  passkeyCancelled: "通行密钥登录已取消或超时。",
  passkeyRejected: "该通行密钥未被接受。请重试，或换一种方式登录。",
  passkeyBanned: "你暂时被禁止进入此聊天。",
  passkeyRateLimited: "登录次数过多，请几分钟后再试。",
  passkeyFailed: "无法使用通行密钥登录，请重试。",
};
