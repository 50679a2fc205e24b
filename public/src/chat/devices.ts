// "Add a device": a dialog with a one-time link (POST /api/devices), a copy button and its QR
// code (made on the server as a data: URL), and a form to log out on every device.
import { byId, h } from "./dom";
import { t } from "./i18n";
import { createModal } from "./modal";

type DeviceLink = { code: string; url: string; expiresAt: number; qr: string };

async function newLink(): Promise<DeviceLink | null> {
  const res = await fetch("/api/devices", { method: "POST", credentials: "same-origin" }).catch(
    () => null,
  );
  return res?.status === 201 ? ((await res.json()) as DeviceLink) : null;
}

async function copy(input: HTMLInputElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(input.value);
    return true;
  } catch {
    // No clipboard API over plain http on a LAN name: the old way still works.
    input.select();
    return document.execCommand("copy");
  }
}

export function setupDevices(): void {
  const button = byId<HTMLButtonElement>("add-device");
  const { dialog, body } = createModal(t.addDevice);
  const status = h("p", { class: "modal-status", attrs: { role: "status" } });
  const input = h("input", {
    attrs: { id: "device-link", type: "text", readonly: "", spellcheck: "false" },
  });
  const copyButton = h("button", { class: "primary", text: t.copyLink, attrs: { type: "button" } });
  const qr = h("img", { class: "qr", attrs: { alt: t.qrCode, width: "196", height: "196" } });
  const linkBox = h("div", { class: "device-link" }, [
    h("label", { text: t.deviceLink, attrs: { for: "device-link" } }),
    h("div", { class: "copy-row" }, [input, copyButton]),
    qr,
  ]);
  const everywhere = h(
    "form",
    { class: "everywhere", attrs: { method: "post", action: "/logout" } },
    [
      h("input", { attrs: { type: "hidden", name: "everywhere", value: "1" } }),
      h("button", {
        class: "secondary danger",
        text: t.logoutEverywhere,
        attrs: { type: "submit" },
      }),
    ],
  );
  body.append(h("p", { text: t.deviceIntro }), linkBox, status, everywhere);

  copyButton.addEventListener("click", () => {
    void copy(input).then((ok) => {
      status.textContent = ok ? t.copied : "";
    });
  });

  button.addEventListener("click", () => {
    linkBox.hidden = true;
    status.textContent = "";
    dialog.showModal();
    void newLink().then((link) => {
      if (!link) {
        status.textContent = t.deviceFailed;
        return;
      }
      input.value = link.url;
      qr.src = link.qr;
      linkBox.hidden = false;
      input.focus();
      input.select();
    });
  });
}
