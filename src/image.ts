// Turns image bytes (a file, a paste, a stream-json block) into the ImageData a user message carries: PNG or
// JPEG, scaled to the limits every GLM vision model takes, and into the OpenAI content part that sends it.
// sharp (native) is imported only when an image is handled. Imports types.ts and sharp; tools/read.ts uses it.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ImageData, ImageMediaType } from './types.ts';

/** Longest side sent: GLM vision models tile large images anyway; 2048 keeps UI text legible. */
export const IMAGE_MAX_SIDE = 2048;
/** Bytes of one encoded image (its base64 is 4/3 of this; Z.ai documents 5 MB per image). */
export const IMAGE_MAX_BYTES = 3_500_000;
/** Bigger files are refused before decoding (a decompression bomb or a mistake). */
export const IMAGE_MAX_INPUT_BYTES = 100_000_000;

export const IMAGE_EXTENSIONS: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Whether glm can send this file as an image (PNG, JPEG, GIF, WebP), by its name. */
export const isSendableImage = (file: string): boolean => Object.hasOwn(IMAGE_EXTENSIONS, extname(file).slice(1).toLowerCase());

export class ImageError extends Error {
  override name = 'ImageError';
}

export interface ImageLimits {
  maxSide: number;
  maxBytes: number;
}

type Sharp = (typeof import('sharp'))['default'];
let sharpModule: Promise<Sharp> | undefined;
const loadSharp = (): Promise<Sharp> => (sharpModule ??= import('sharp').then((m) => m.default));

/**
 * Decodes `bytes`, scales the image so its longest side and its encoded size fit `limits`, and re-encodes it:
 * PNG stays PNG (GIF and WebP become PNG: servers differ on those), JPEG stays JPEG; a PNG still too big becomes
 * JPEG at falling quality. Throws ImageError (one line) for data that is not an image.
 */
export async function prepareImage(bytes: Uint8Array, name: string, limits: ImageLimits = { maxSide: IMAGE_MAX_SIDE, maxBytes: IMAGE_MAX_BYTES }): Promise<ImageData> {
  if (bytes.length > IMAGE_MAX_INPUT_BYTES) throw new ImageError(`${name} is ${bytes.length} bytes; images over ${IMAGE_MAX_INPUT_BYTES} bytes are not sent`);
  const sharp = await loadSharp();
  let meta: Awaited<ReturnType<ReturnType<Sharp>['metadata']>>;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw new ImageError(`${name} is not an image glm can read (PNG, JPEG, GIF or WebP)`);
  }
  if (!meta.width || !meta.height || !['png', 'jpeg', 'gif', 'webp'].includes(meta.format ?? '')) {
    throw new ImageError(`${name} is not an image glm can read (PNG, JPEG, GIF or WebP)`);
  }
  const scale = Math.min(1, limits.maxSide / Math.max(meta.width, meta.height));
  const asIs = scale === 1 && bytes.length <= limits.maxBytes && (meta.format === 'png' || meta.format === 'jpeg') && !meta.orientation;
  if (asIs) return image(meta.format === 'png' ? 'image/png' : 'image/jpeg', Buffer.from(bytes), name, meta.width, meta.height);
  let mediaType: ImageMediaType = meta.format === 'jpeg' ? 'image/jpeg' : 'image/png';
  let side = Math.max(1, Math.round(Math.max(meta.width, meta.height) * scale));
  for (let round = 0; round < 10; round++) {
    for (const quality of mediaType === 'image/png' ? [0] : [85, 70, 55, 40]) {
      const pipeline = sharp(bytes).rotate().resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true });
      const encoded = mediaType === 'image/png' ? pipeline.png({ compressionLevel: 9 }) : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality });
      const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
      if (data.length <= limits.maxBytes) return image(mediaType, data, name, info.width, info.height);
    }
    if (mediaType === 'image/png') mediaType = 'image/jpeg';
    else side = Math.max(1, Math.round(side * 0.7));
  }
  throw new ImageError(`${name} could not be made smaller than ${limits.maxBytes} bytes`);
}

const image = (mediaType: ImageMediaType, data: Buffer, name: string, width: number, height: number): ImageData => ({
  mediaType,
  data: data.toString('base64'),
  name,
  width,
  height,
});

/** Reads and prepares an image file; ImageError names the file when it is missing or not an image. */
export async function imageFromFile(file: string, limits?: ImageLimits): Promise<ImageData> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ImageError(code === 'ENOENT' ? `no image file ${file}` : `cannot read ${file} (${code ?? 'error'})`);
  }
  return prepareImage(bytes, basename(file), limits);
}

/** The OpenAI content part that sends an image (what GLM's chat completions take, §14.1). */
export function imageContentPart(img: Pick<ImageData, 'mediaType' | 'data'>): { type: 'image_url'; image_url: { url: string } } {
  return { type: 'image_url', image_url: { url: `data:${img.mediaType};base64,${img.data}` } };
}

/**
 * For front ends that receive images in a request (stream-json `image` blocks, ACP): base64 data of any
 * supported type → a scaled ImageData for a user message. Throws ImageError for data that is not an image.
 */
export async function imageFromBase64(data: string, name = 'image'): Promise<ImageData> {
  return prepareImage(Buffer.from(data, 'base64'), name);
}

/** `[image 1: shot.png 1280×720]`: how prompts and transcripts show an image. */
export const imageLabel = (img: Pick<ImageData, 'name' | 'width' | 'height'>, n: number): string => `[image ${n}: ${img.name} ${img.width}×${img.height}]`;
