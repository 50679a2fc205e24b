// The Account dialog's password: `Set a password` (or `Change password` once there is one)
// reveals a form with `New password` (and `Current password` when changing). Where the
// browser has no WebAuthn, a note here says why there are no passkey buttons.
import type { User } from "../../../common/events";
import { passkeysAvailable, savePassword } from "./account-api";
import { feedback, field, input, section, type Section } from "./account-parts";
import { h } from "./dom";
import { t } from "./i18n";

export function passwordSection(me: User, refresh: () => Promise<void>): Section {
  const toggle = h("button", {
    class: "secondary",
    text: t.setPassword,
    attrs: { type: "button", "aria-expanded": "false", "aria-controls": "account-password-form" },
  });
  const current = input("account-current-password", {
    type: "password",
    autocomplete: "current-password",
    maxlength: "200",
  });
  const next = input("account-new-password", {
    type: "password",
    autocomplete: "new-password",
    maxlength: "200",
    required: "",
  });
  const currentField = field(t.currentPassword, current);
  const save = h("button", { class: "primary", text: t.savePassword, attrs: { type: "submit" } });
  const result = feedback();
  const form = h("form", { class: "account-form", attrs: { id: "account-password-form" } }, [
    // Lets a password manager store the new password under this nickname.
    h("input", {
      attrs: { type: "text", autocomplete: "username", value: me.name, hidden: "", tabindex: "-1" },
    }),
    currentField,
    field(t.newPassword, next, t.newPasswordHint),
    save,
  ]);
  form.hidden = true;
  let hasPassword = false;

  const setOpen = (open: boolean) => {
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open) (hasPassword ? current : next).focus();
  };
  toggle.addEventListener("click", () => {
    result.clear();
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    save.disabled = true;
    for (const box of [current, next]) box.removeAttribute("aria-invalid");
    void savePassword(next.value, hasPassword ? current.value : undefined).then(async (r) => {
      save.disabled = false;
      if (!r.ok) {
        const wrong = r.code === "bad_credentials" ? current : next;
        wrong.setAttribute("aria-invalid", "true");
        wrong.focus();
        return result.error(r.code);
      }
      current.value = "";
      next.value = "";
      setOpen(false);
      await refresh();
      result.ok(t.passwordSaved);
      toggle.focus();
    });
  });

  const note = h("p", { class: "hint account-note", text: t.passkeysNeedHttps });
  note.hidden = passkeysAvailable();
  return {
    el: section("account-password-heading", t.passwordHeading, [toggle, note, form, result.el]),
    render(state) {
      hasPassword = state.password;
      toggle.textContent = hasPassword ? t.changePassword : t.setPassword;
      currentField.hidden = !hasPassword;
      current.required = hasPassword;
    },
  };
}
