// The Account dialog's passkeys: each one listed (name, added, last used) with a `Remove`
// button described by its name, and `Add a passkey` with an optional `Passkey name`. Without
// WebAuthn (plain http that is not localhost) the adding part is hidden; the list stays, so
// a passkey made elsewhere can still be removed.
import { addPasskey, passkeysAvailable, removePasskey, type Passkey } from "./account-api";
import { feedback, input, section, type Section } from "./account-parts";
import { h } from "./dom";
import { t } from "./i18n";

const dateFormat = new Intl.DateTimeFormat(t.htmlLang, { dateStyle: "medium" });

export function passkeysSection(refresh: () => Promise<void>): Section {
  const available = passkeysAvailable();
  const list = h("ul", {
    class: "passkey-list",
    attrs: { "aria-labelledby": "account-passkeys-heading" },
  });
  const empty = h("p", { class: "hint", text: t.noPasskeys });
  const name = input("account-passkey-name", {
    type: "text",
    maxlength: "60",
    autocomplete: "off",
  });
  const add = h("button", { class: "secondary", text: t.addPasskey, attrs: { type: "button" } });
  // The name and the button on one row, the hint under both.
  name.setAttribute("aria-describedby", "account-passkey-name-hint");
  const adding = h("div", { class: "field" }, [
    h("label", { text: t.passkeyName, attrs: { for: name.id } }),
    h("div", { class: "passkey-add" }, [name, add]),
    h("span", {
      class: "hint",
      text: t.passkeyNameHint,
      attrs: { id: "account-passkey-name-hint" },
    }),
  ]);
  adding.hidden = !available;
  const result = feedback();

  add.addEventListener("click", () => {
    add.disabled = true;
    result.clear();
    void addPasskey(name.value.trim()).then(async (r) => {
      add.disabled = false;
      if (!r.ok) {
        if (r.code === "cancelled") return result.ok(t.passkeyCancelled);
        return result.error(r.code);
      }
      name.value = "";
      await refresh();
      result.ok(t.passkeyAdded);
    });
  });

  const row = (passkey: Passkey, i: number): HTMLLIElement => {
    const nameId = `account-passkey-${i}`;
    const remove = h("button", {
      class: "secondary danger",
      text: t.remove,
      attrs: { type: "button", "aria-describedby": nameId },
    });
    remove.addEventListener("click", () => {
      remove.disabled = true;
      result.clear();
      void removePasskey(passkey.id).then(async (r) => {
        remove.disabled = false;
        if (!r.ok && r.code !== "not_found") return result.error(r.code);
        await refresh();
        add.focus();
      });
    });
    const used = passkey.lastUsedAt === null ? null : dateFormat.format(passkey.lastUsedAt);
    return h("li", { class: "passkey" }, [
      h("div", { class: "passkey-text" }, [
        h("bdi", { text: passkey.name || t.unnamedPasskey, attrs: { id: nameId } }),
        h("span", {
          class: "hint",
          text: t.passkeyDates(dateFormat.format(passkey.createdAt), used),
        }),
      ]),
      remove,
    ]);
  };

  const el = section("account-passkeys-heading", t.passkeysHeading, [
    h("p", { class: "hint", text: t.passkeysIntro }),
    list,
    empty,
    adding,
    result.el,
  ]);
  return {
    el,
    render({ passkeys }) {
      list.replaceChildren(...passkeys.map(row));
      list.hidden = passkeys.length === 0;
      empty.hidden = passkeys.length > 0;
      // Nothing to add and nothing to remove: the password section says why.
      el.hidden = !available && passkeys.length === 0;
    },
  };
}
