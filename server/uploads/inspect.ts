// What an uploaded file is, from its bytes; images re-encoded upright with no metadata at all
// (EXIF, XMP, GPS, ICC comments), plus a thumbnail. The one image pipeline: uploads and
// profile pictures (server/accounts) both decode here, one image at a time.
import { fileTypeFromFile } from "file-type";
import sharp, { type Sharp } from "sharp";
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

/** Image decoding is CPU and memory heavy: one at a time per node, the rest wait their turn. */
let imageQueue: Promise<unknown> = Promise.resolve();

/** Runs image work after the work queued before it; null when the image cannot be decoded. */
export function inImageTurn<T>(work: () => Promise<T>): Promise<T | null> {
  const run = imageQueue.then(work, work).catch(() => null);
  imageQueue = run;
  return run;
}

/** Every decode: bounded pixels, corrupt data refused, upright per EXIF orientation. */
function decode(src: string, animated = false): Sharp {
  return sharp(src, { animated, limitInputPixels: MAX_PIXELS, failOn: "error" }).autoOrient();
}

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
  const format = IMAGE_FORMATS[type];
  // sharp drops all metadata unless asked to keep it; autoOrient applies EXIF orientation first.
  const info = await decode(src, animated)
    .toFormat(format, format === "jpeg" ? { quality: 90 } : {})
    .toFile(out);
  const height = info.pageHeight ?? info.height;
  // From the source, so JPEG shrink-on-load decodes it at a fraction of its size.
  await decode(src)
    .resize(LIMITS.thumbMax, LIMITS.thumbMax, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(thumb);
  return { width: info.width, height, size: info.size };
}

/**
 * A square WebP of at most `side` px with no metadata: the upright image cover-cropped to its
 * centre, never enlarged; an animation gives its first frame. Rejects when it cannot be decoded.
 */
export async function squareWebp(src: string, side: number): Promise<Buffer> {
  const { width = 0, height = 0, pageHeight } = await sharp(src, { failOn: "error" }).metadata();
  const size = Math.max(1, Math.min(side, width, pageHeight ?? height));
  return decode(src).resize(size, size, { fit: "cover" }).webp({ quality: 85 }).toBuffer();
}
