// The `Account` button and its dialog: the picture, passkeys and password of the signed-in
// user, drawn from GET /api/account and redrawn after every change. Others (the guest
// notice) follow the account's state through `onState`.
import type { User } from "../../../common/events";
import { loadAccount, passkeysAvailable, type AccountState } from "./account-api";
import type { Section } from "./account-parts";
import { passkeysSection } from "./account-passkeys";
import { passwordSection } from "./account-password";
import { pictureSection } from "./account-picture";
import { byId, h } from "./dom";
import { t } from "./i18n";
import { createModal } from "./modal";

export class AccountDialog {
  private readonly modal = createModal(t.account);
  private readonly intro = h("p", { class: "account-intro", text: t.accountLoading });
  private readonly picture: Section;
  private readonly passkeys: Section;
  private readonly password: Section;
  private readonly listeners: ((state: AccountState) => void)[] = [];
  private state: AccountState | null = null;

  constructor(me: User, onUser: (user: User) => void) {
    const refresh = () => this.refresh();
    this.picture = pictureSection(onUser);
    this.passkeys = passkeysSection(refresh);
    this.password = passwordSection(me, refresh);
    this.modal.dialog.classList.add("account-dialog");
    this.modal.body.append(
      this.intro,
      this.picture.el,
      this.passkeys.el,
      this.password.el,
      // "Your data" (a later issue) goes here: `Download my data` (GET /api/account/export)
      // and `Delete account` (DELETE /api/account), in their own section.
    );
    byId("account").addEventListener("click", () => this.open());
  }

  onState(listener: (state: AccountState) => void): void {
    this.listeners.push(listener);
    if (this.state) listener(this.state);
  }

  /** `secure`: opened to keep the nickname, so focus goes to the first way of doing that. */
  open(secure = false): void {
    if (!this.modal.dialog.open) {
      // What the last visit said (saved, refused) is stale now.
      for (const line of this.modal.body.querySelectorAll("[role=alert], [role=status]")) {
        line.textContent = "";
      }
      this.modal.dialog.showModal();
    }
    if (secure) {
      const first = passkeysAvailable() ? this.passkeys.el : this.password.el;
      first.querySelector<HTMLElement>("button:not([hidden])")?.focus();
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const result = await loadAccount();
    if (!result.ok) return;
    const state = result.data;
    this.state = state;
    this.intro.textContent = state.secured ? t.accountSecured : t.accountGuest;
    for (const part of [this.picture, this.passkeys, this.password]) part.render(state);
    for (const listener of this.listeners) listener(state);
  }
}
