// Files as a client sends them: multipart POST /api/uploads, and test images built with sharp.
import type { Attachment } from "../../common/events";
import sharp from "sharp";

export type UploadResponse = {
  status: number;
  body: { upload?: Attachment; error?: { code: string } };
};

/** Uploads `bytes` as field `file` named `name`, with the given (untrusted) content type. */
export function uploadFile(
  url: string,
  token: string,
  bytes: Buffer | string,
  name = "file.bin",
  type = "application/octet-stream",
): Promise<UploadResponse> {
  return postFile(`${url}/api/uploads`, token, bytes, name, type);
}

/** POSTs `bytes` as the multipart field `file` (uploads, profile pictures); the JSON answer. */
export async function postFile<Body = UploadResponse["body"]>(
  endpoint: string,
  token: string,
  bytes: Buffer | string,
  name = "file.bin",
  type = "application/octet-stream",
): Promise<{ status: number; body: Body }> {
  const form = new FormData();
  form.append(
    "file",
    new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)], { type }),
    name,
  );
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Body };
}

export async function uploadOk(
  url: string,
  token: string,
  bytes: Buffer | string,
  name?: string,
  type?: string,
): Promise<Attachment> {
  const res = await uploadFile(url, token, bytes, name, type);
  if (res.status !== 201 || !res.body.upload) {
    throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.upload;
}

/** GET of a file URL as the holder of `token` (or nobody). */
export function download(url: string, path: string, token?: string): Promise<Response> {
  return fetch(`${url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

/**
 * A JPEG of `width`×`height` carrying GPS EXIF, an XMP packet and EXIF orientation 6 (90° CW):
 * one colour, or `twoTone` (left half red, right half blue: shown upright, red is on top).
 */
export function jpegWithGps(width = 600, height = 300, twoTone = false): Promise<Buffer> {
  const image = twoTone
    ? sharp(leftRedRightBlue(width, height), { raw: { width, height, channels: 3 } })
    : sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 60 } } });
  return image
    .withExif({
      IFD0: { Make: "TestCam" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "48/1 51/1 2928/100",
        GPSLongitudeRef: "E",
        GPSLongitude: "2/1 17/1 4000/100",
      },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="SecretXmpAuthor"/>' +
        "</rdf:RDF></x:xmpmeta>",
    )
    .jpeg()
    .toBuffer();
}

function leftRedRightBlue(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    pixels[i * 3 + (i % width < width / 2 ? 0 : 2)] = 255;
  }
  return pixels;
}

export function png(width = 50, height = 40): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: "#3366ff" } })
    .png()
    .toBuffer();
}
