// A native <dialog> opened modally (role="dialog", focus kept inside, Esc closes), built with
// DOM calls. Esc inside it never reaches the page's own Esc handling.
import { h } from "./dom";
import { t } from "./i18n";

export type Modal = { dialog: HTMLDialogElement; body: HTMLElement; actions: HTMLElement };

let count = 0;

export function createModal(title: string, closeLabel = t.close): Modal {
  const id = `modal-title-${++count}`;
  const body = h("div", { class: "modal-body" });
  const close = h("button", { class: "secondary", text: closeLabel, attrs: { type: "button" } });
  const actions = h("div", { class: "modal-actions" }, [close]);
  const dialog = h("dialog", { class: "modal", attrs: { "aria-labelledby": id } }, [
    h("h2", { text: title, attrs: { id } }),
    body,
    actions,
  ]);
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("keydown", (e) => {
    if (e.key === "Escape") e.stopPropagation();
  });
  // A click on the backdrop (outside the box) closes it too.
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  return { dialog, body, actions };
}
