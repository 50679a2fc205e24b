// The login page's script: signing in with a passkey (WebAuthn). The form works without it.
import { startAuthentication } from "@simplewebauthn/browser";
import { passkeysEn, passkeysZh } from "../../common/i18n-passkeys";

const t = document.documentElement.lang.toLowerCase().startsWith("zh") ? passkeysZh : passkeysEn;
const area = document.getElementById("passkey-area");
const button = document.getElementById("passkey-button") as HTMLButtonElement | null;
const alert = document.getElementById("passkey-error");
const note = document.getElementById("passkey-note");

function showError(text: string | null): void {
  if (!alert) return;
  alert.textContent = text ?? "";
  alert.hidden = text === null;
}

/** The message for a refused sign-in's error code. */
function refusal(code: unknown): string {
  if (code === "banned") return t.passkeyBanned;
  if (code === "rate_limited") return t.passkeyRateLimited;
  if (code === "bad_credentials") return t.passkeyRejected;
  return t.passkeyFailed;
}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function signIn(): Promise<void> {
  const optionsRes = await postJson("/api/passkey/options", {});
  if (!optionsRes.ok) return showError(t.passkeyFailed);
  const { options } = (await optionsRes.json()) as {
    options: Parameters<typeof startAuthentication>[0]["optionsJSON"];
  };
  let response;
  try {
    response = await startAuthentication({ optionsJSON: options });
  } catch (err) {
    const name = (err as { name?: string }).name;
    const cancelled = name === "NotAllowedError" || name === "AbortError";
    return showError(cancelled ? t.passkeyCancelled : t.passkeyFailed);
  }
  const res = await postJson("/api/passkey/login", { response });
  if (res.ok) {
    location.assign("/chat");
    return;
  }
  const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
  showError(refusal(body?.error?.code));
}

if (area && button && note) {
  if (typeof window.PublicKeyCredential === "undefined") {
    // Plain http on a LAN address, say: say why there is no passkey button, next to the
    // password when the page asks for one.
    const passwordField = document.getElementById("password")?.closest(".field");
    if (passwordField) {
      passwordField.append(note);
      area.hidden = true;
    } else {
      for (const child of Array.from(area.children)) (child as HTMLElement).hidden = child !== note;
    }
    note.hidden = false;
  } else {
    button.addEventListener("click", () => {
      showError(null);
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      signIn()
        .catch(() => showError(t.passkeyFailed))
        .finally(() => {
          button.disabled = false;
          button.removeAttribute("aria-busy");
        });
    });
  }
}
