// The Account dialog's picture: the current one, the built-in avatars as a radio group named
// `Avatar` (each radio named by the avatar's label, as on the login page) and `Upload a picture`.
import type { User } from "../../../common/events";
import { chooseAvatar, uploadPicture } from "./account-api";
import { feedback, section, type Section } from "./account-parts";
import { avatarUrl, h } from "./dom";
import { t } from "./i18n";

type BuiltIn = { id: string; url: string; label: string };

/** Arrow keys move through a radio group one change at a time: only the last one is saved. */
const SETTLE_MS = 400;

export function pictureSection(onUser: (user: User) => void): Section {
  const avatars = JSON.parse(document.body.dataset.avatars ?? "[]") as BuiltIn[];
  const current = h("img", {
    class: "avatar account-picture",
    attrs: { alt: t.currentPicture, width: "64", height: "64" },
  });
  const radios = avatars.map((a) =>
    h("input", { attrs: { type: "radio", name: "account-avatar", value: a.id } }),
  );
  const grid = h(
    "div",
    { class: "avatar-grid" },
    avatars.map((a, i) =>
      h("label", { class: "avatar-choice", attrs: { title: a.label } }, [
        radios[i],
        h("img", { attrs: { src: a.url, alt: a.label, width: "44", height: "44" } }),
      ]),
    ),
  );
  const group = h(
    "fieldset",
    { class: "avatars", attrs: { role: "radiogroup", "aria-labelledby": "account-avatar-legend" } },
    [h("legend", { text: t.avatar, attrs: { id: "account-avatar-legend" } }), grid],
  );
  const file = h("input", {
    attrs: {
      type: "file",
      accept: "image/jpeg,image/png,image/gif,image/webp",
      hidden: "",
      tabindex: "-1",
      "aria-hidden": "true",
    },
  });
  const upload = h("button", {
    class: "secondary",
    text: t.uploadPicture,
    attrs: { type: "button" },
  });
  const result = feedback();

  const changed = (user: User) => {
    current.src = avatarUrl(user.avatar);
    result.ok(t.pictureSaved);
    onUser(user);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  group.addEventListener("change", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const chosen = radios.find((r) => r.checked)?.value;
      if (!chosen) return;
      void chooseAvatar(chosen).then((r) => (r.ok ? changed(r.data.user) : result.error(r.code)));
    }, SETTLE_MS);
  });
  upload.addEventListener("click", () => file.click());
  file.addEventListener("change", () => {
    const picked = file.files?.[0];
    file.value = "";
    if (!picked) return;
    upload.disabled = true;
    result.clear();
    void uploadPicture(picked).then((r) => {
      upload.disabled = false;
      if (!r.ok) return result.error(r.code);
      for (const radio of radios) radio.checked = false;
      changed(r.data.user);
    });
  });

  const el = section("account-picture-heading", t.pictureHeading, [
    h("div", { class: "account-picture-row" }, [current, h("div", {}, [upload, file])]),
    group,
    result.el,
  ]);
  return {
    el,
    render({ user }) {
      current.src = avatarUrl(user.avatar);
      for (const radio of radios) radio.checked = radio.value === user.avatar;
    },
  };
}
