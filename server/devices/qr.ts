import qrcode from "qrcode-generator";

/** A QR code of `text` as a GIF data: URL (the CSP allows data: images). */
export function qrDataUrl(text: string): string {
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  return qr.createDataURL(4, 4);
}
