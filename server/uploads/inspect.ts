// What an uploaded file is, from its bytes; images re-encoded upright with no metadata at all
// (EXIF, XMP, GPS, ICC comments), plus a thumbnail.
import { fileTypeFromFile } from "file-type";
import sharp from "sharp";
import { LIMITS } from "../../common/events";

/** Images get width, height and a thumbnail; every other type is served as a download. */
const IMAGE_FORMATS = {
  "image/jpeg": "jpeg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
} as const;
type ImageType = keyof typeof IMAGE_FORMATS;

/** Decoding more pixels than this is refused (a small file can expand to gigabytes). */
const MAX_PIXELS = 50_000_000;
export const THUMB_TYPE = "image/webp";

// One image at a time, without libvips' operation cache: memory stays bounded under load.
sharp.cache(false);
sharp.concurrency(1);

export function isImageType(type: string): type is ImageType {
  return type in IMAGE_FORMATS;
}

/** The MIME type the bytes show, or application/octet-stream (HTML, SVG and text included). */
export async function sniff(file: string): Promise<string> {
  const found = await fileTypeFromFile(file).catch(() => undefined);
  return found?.mime ?? "application/octet-stream";
}

export type Processed = { width: number; height: number; size: number };

/**
 * Writes the image at `src` upright and stripped of metadata to `out` and a thumbnail of at
 * most LIMITS.thumbMax px on its longer side to `thumb`. Rejects when the image cannot be
 * decoded (the upload is refused: undecodable bytes could not be stripped).
 */
export async function processImage(
  src: string,
  type: ImageType,
  out: string,
  thumb: string,
): Promise<Processed> {
  const animated = type === "image/gif" || type === "image/webp";
  const input = { animated, limitInputPixels: MAX_PIXELS, failOn: "error" as const };
  const format = IMAGE_FORMATS[type];
  // sharp drops all metadata unless asked to keep it; autoOrient applies EXIF orientation first.
  const info = await sharp(src, input)
    .autoOrient()
    .toFormat(format, format === "jpeg" ? { quality: 90 } : {})
    .toFile(out);
  const height = info.pageHeight ?? info.height;
  // From the source, so JPEG shrink-on-load decodes it at a fraction of its size.
  await sharp(src, { limitInputPixels: MAX_PIXELS, failOn: "error" })
    .autoOrient()
    .resize(LIMITS.thumbMax, LIMITS.thumbMax, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(thumb);
  return { width: info.width, height, size: info.size };
}
