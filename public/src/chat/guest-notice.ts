// A guest's notice above the composer: its nickname lasts only while it is logged in, and
// `Keep my name` opens the Account dialog. `Not now` hides it for this tab's session; it goes
// for good once the account is secured.
import type { AccountDialog } from "./account-dialog";
import { byId, h } from "./dom";
import { t } from "./i18n";

const DISMISSED = "guest-notice-dismissed";

function dismissed(): boolean {
  try {
    return sessionStorage.getItem(DISMISSED) === "1";
  } catch {
    return false;
  }
}

/** Shows or hides the notice; a log read to its end stays at its end as its height changes. */
function setShown(notice: HTMLElement, shown: boolean): void {
  if (notice.hidden === !shown) return;
  const log = byId("log");
  const atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  notice.hidden = !shown;
  if (atEnd) log.scrollTop = log.scrollHeight;
}

export function setupGuestNotice(account: AccountDialog): void {
  const keep = h("button", { class: "primary", text: t.keepMyName, attrs: { type: "button" } });
  const later = h("button", { class: "secondary", text: t.notNow, attrs: { type: "button" } });
  const notice = h("div", { class: "guest-notice", attrs: { id: "guest-notice" } }, [
    h("p", { text: t.guestNotice }),
    h("div", { class: "guest-actions" }, [keep, later]),
  ]);
  notice.hidden = true;
  byId("typing").before(notice);

  keep.addEventListener("click", () => account.open(true));
  later.addEventListener("click", () => {
    try {
      sessionStorage.setItem(DISMISSED, "1");
    } catch {
      // Storage refused: it stays hidden until the page reloads.
    }
    setShown(notice, false);
    byId("message").focus();
  });
  account.onState((state) => {
    setShown(notice, !state.secured && !dismissed());
  });
}
