// Files in a message: images inline as thumbnails that keep their place while loading (the
// size is known), opened full size in a dialog; any other file as a card with a download link.
import { LIMITS, type Attachment } from "../../../common/events";
import { h, icon } from "./dom";
import { t } from "./i18n";
import { createModal } from "./modal";

/** The thumbnail's size on screen: the image scaled to fit LIMITS.thumbMax, never enlarged. */
function thumbSize(a: Attachment): { width: number; height: number } {
  const w = a.width ?? LIMITS.thumbMax;
  const hgt = a.height ?? LIMITS.thumbMax;
  const scale = Math.min(1, LIMITS.thumbMax / Math.max(w, hgt));
  return {
    width: Math.max(1, Math.round(w * scale)),
    height: Math.max(1, Math.round(hgt * scale)),
  };
}

export function attachmentsNode(list: Attachment[]): HTMLElement {
  return h("div", { class: "attachments-shown" }, list.map(attachmentNode));
}

function attachmentNode(a: Attachment): HTMLElement {
  if (a.thumbUrl) {
    const { width, height } = thumbSize(a);
    const img = h("img", {
      class: "thumb",
      attrs: { alt: a.name, loading: "lazy", width: `${width}`, height: `${height}` },
    });
    img.src = a.thumbUrl;
    const open = h(
      "button",
      { class: "thumb-button", attrs: { type: "button", title: t.openImage(a.name) } },
      [img],
    );
    open.addEventListener("click", () => openImage(a));
    return open;
  }
  const link = h("a", { class: "file-card", attrs: { href: a.url, download: a.name } }, [
    icon("i-file"),
    h("span", { class: "file-name", text: a.name, attrs: { dir: "auto" } }),
    h("span", { class: "file-size", text: t.fileSize(a.size) }),
    h("span", { class: "file-download", text: t.download }),
  ]);
  return link;
}

/** The full image in a dialog, with a link to download it. */
function openImage(a: Attachment): void {
  const modal = createModal(a.name);
  modal.dialog.classList.add("image-viewer");
  const img = h("img", {
    class: "full-image",
    attrs: { alt: a.name, width: `${a.width ?? ""}`, height: `${a.height ?? ""}` },
  });
  img.src = a.url;
  const download = h("a", {
    class: "secondary button-link",
    text: t.download,
    attrs: { href: a.url, download: a.name },
  });
  modal.body.append(img);
  modal.actions.prepend(download);
  modal.dialog.addEventListener("close", () => modal.dialog.remove());
  modal.dialog.showModal();
}
