// Strings of files and images, spread into common/i18n.ts.

/** "2.4 MB", "830 KB", "12 bytes". */
function size(bytes: number, units: [string, string, string]): string {
  if (bytes < 1024) return `${bytes} ${units[0]}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} ${units[1]}`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} ${units[2]}`;
}

export const filesEn = {
  attach: "Attach",
  attachments: "Attachments",
  removeAttachment: (name: string) => `Remove ${name}`,
  uploading: (name: string) => `Uploading ${name}`,
  openImage: (name: string) => `Open ${name}`,
  download: "Download",
  dropToAttach: "Drop files to attach them",
  waitForUploads: "Wait until the files have finished uploading.",
  tooManyFiles: "At most 10 files per message.",
  fileSize: (bytes: number) => size(bytes, ["bytes", "KB", "MB"]),
  uploadErrors: {
    too_large: (name: string) => `${name} is too large to send.`,
    rate_limited: (name: string) => `Too many files at once: ${name} was not sent. Wait a minute.`,
    failed: (name: string) => `${name} could not be uploaded.`,
  },
};

export const filesZh: typeof filesEn = {
  attach: "附件",
  attachments: "附件列表",
  removeAttachment: (name) => `移除 ${name}`,
  uploading: (name) => `正在上传 ${name}`,
  openImage: (name) => `打开 ${name}`,
  download: "下载",
  dropToAttach: "拖放文件以添加附件",
  waitForUploads: "请等待文件上传完成。",
  tooManyFiles: "每条消息最多 10 个文件。",
  fileSize: (bytes) => size(bytes, ["字节", "KB", "MB"]),
  uploadErrors: {
    too_large: (name) => `${name} 太大，无法发送。`,
    rate_limited: (name) => `文件太多：${name} 未发送，请稍等一分钟。`,
    failed: (name) => `${name} 上传失败。`,
  },
};
