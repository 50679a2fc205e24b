// Files waiting in the composer: chosen with Attach, pasted or dropped; each uploads at once
// with a progress bar, can be removed, and goes with the next message sent.
import { LIMITS, type Attachment } from "../../../common/events";
import { byId, h, icon, sentence } from "./dom";
import { t } from "./i18n";

type Item = {
  name: string;
  node: HTMLElement;
  attachment?: Attachment;
  xhr?: XMLHttpRequest;
};

type UploadErrorCode = keyof typeof t.uploadErrors;

export class AttachmentTray {
  private items: Item[] = [];
  private readonly list = byId<HTMLUListElement>("attachments");
  private readonly status = byId("upload-status");
  private readonly input = byId<HTMLInputElement>("attach-input");

  constructor(dropZone: HTMLElement, textarea: HTMLTextAreaElement) {
    byId("attach").addEventListener("click", () => this.input.click());
    this.input.addEventListener("change", () => {
      this.add([...(this.input.files ?? [])]);
      this.input.value = "";
    });
    textarea.addEventListener("paste", (e) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length === 0) return;
      e.preventDefault();
      this.add(files);
    });
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes("Files") ?? false;
    dropZone.addEventListener("dragover", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      dropZone.classList.add("dropping");
    });
    dropZone.addEventListener("dragleave", (e) => {
      if (!dropZone.contains(e.relatedTarget as Node | null)) dropZone.classList.remove("dropping");
    });
    dropZone.addEventListener("drop", (e) => {
      dropZone.classList.remove("dropping");
      if (!hasFiles(e)) return;
      e.preventDefault();
      this.add([...(e.dataTransfer?.files ?? [])]);
    });
  }

  /** Still uploading: sending now would leave those files out. */
  busy(): boolean {
    return this.items.some((i) => !i.attachment);
  }

  /** The uploaded files, taken out of the tray for a message. */
  take(): Attachment[] {
    const ready = this.items.flatMap((i) => (i.attachment ? [i.attachment] : []));
    for (const i of this.items) i.node.remove();
    this.items = [];
    this.render();
    return ready;
  }

  say(text: string | (Node | string)[]): void {
    this.status.replaceChildren(...(typeof text === "string" ? [text] : text));
  }

  add(files: File[]): void {
    this.say("");
    for (const file of files) {
      if (this.items.length >= LIMITS.attachmentsMax) return this.say(t.tooManyFiles);
      this.upload(file);
    }
  }

  private upload(file: File): void {
    const name = file.name || "file";
    const progress = h("progress", {
      attrs: { max: "1", value: "0", "aria-label": t.uploading(name) },
    });
    const remove = h("button", {
      class: "mini remove-file",
      text: "×",
      attrs: { type: "button", "aria-label": t.removeAttachment(name) },
    });
    const node = h("li", { class: "pending-file" }, [
      icon("i-file"),
      h("span", { class: "file-name", text: name, attrs: { dir: "auto" } }),
      progress,
      remove,
    ]);
    const item: Item = { name, node };
    remove.addEventListener("click", () => this.remove(item));
    this.items.push(item);
    this.list.append(node);
    this.render();

    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    xhr.open("POST", "/api/uploads");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) progress.value = e.loaded / e.total;
    });
    xhr.addEventListener("load", () => {
      const body = xhr.response as { upload?: Attachment; error?: { code?: string } } | null;
      if (xhr.status === 201 && body?.upload) return this.uploaded(item, body.upload, progress);
      this.failed(item, (body?.error?.code ?? "failed") as UploadErrorCode);
    });
    xhr.addEventListener("error", () => this.failed(item, "failed"));
    const form = new FormData();
    form.append("file", file, name);
    xhr.send(form);
  }

  private uploaded(item: Item, attachment: Attachment, progress: HTMLProgressElement): void {
    item.attachment = attachment;
    item.xhr = undefined;
    progress.remove();
    if (attachment.thumbUrl) {
      const img = h("img", {
        class: "pending-thumb",
        attrs: { alt: "", width: "32", height: "32" },
      });
      img.src = attachment.thumbUrl;
      item.node.querySelector("svg")?.replaceWith(img);
    }
    item.node
      .querySelector(".file-name")
      ?.after(h("span", { class: "file-size", text: t.fileSize(attachment.size) }));
  }

  private failed(item: Item, code: UploadErrorCode): void {
    this.remove(item);
    const say = t.uploadErrors[code] ?? t.uploadErrors.failed;
    this.say(sentence(say, item.name));
  }

  private remove(item: Item): void {
    item.xhr?.abort();
    item.node.remove();
    this.items = this.items.filter((i) => i !== item);
    this.render();
  }

  private render(): void {
    this.list.hidden = this.items.length === 0;
  }
}
