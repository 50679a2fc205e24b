// Small building blocks of the Account dialog's sections: a labelled field with its hint,
// the error line (role="alert") and the status line (role="status") each section owns.
import type { AccountState } from "./account-api";
import { h } from "./dom";
import { t } from "./i18n";

export type Section = {
  el: HTMLElement;
  /** Redraws from the latest GET /api/account. */
  render(state: AccountState): void;
};

export function input(id: string, attrs: Record<string, string>): HTMLInputElement {
  return h("input", { attrs: { id, ...attrs } });
}

/** A label above its input, and an optional hint the input is described by. */
export function field(label: string, control: HTMLInputElement, hint?: string): HTMLElement {
  const children: HTMLElement[] = [
    h("label", { text: label, attrs: { for: control.id } }),
    control,
  ];
  if (hint) {
    const hintId = `${control.id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    children.push(h("span", { class: "hint", text: hint, attrs: { id: hintId } }));
  }
  return h("p", { class: "field" }, children);
}

export function section(headingId: string, heading: string, children: Node[]): HTMLElement {
  return h("section", { class: "account-section", attrs: { "aria-labelledby": headingId } }, [
    h("h3", { text: heading, attrs: { id: headingId } }),
    ...children,
  ]);
}

export type Feedback = {
  el: HTMLElement;
  error(code: string): void;
  ok(text: string): void;
  clear(): void;
};

/** One alert line for errors and one status line for successes, never both at once. */
export function feedback(): Feedback {
  const alert = h("p", { class: "modal-error", attrs: { role: "alert" } });
  const status = h("p", { class: "modal-status", attrs: { role: "status" } });
  return {
    el: h("div", { class: "account-feedback" }, [alert, status]),
    error(code) {
      status.textContent = "";
      alert.textContent = t.accountErrors[code as keyof typeof t.accountErrors] ?? t.accountFailed;
    },
    ok(text) {
      alert.textContent = "";
      status.textContent = text;
    },
    clear() {
      alert.textContent = "";
      status.textContent = "";
    },
  };
}
