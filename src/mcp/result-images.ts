// The images of an MCP tool result, as ImageData the loop sends to the model after the tool results (like Read's):
// a vision model sees them, a text-only one gets the vision model's description (src/vision.ts) or a note that
// they were left out. Imports src/image.ts (sharp loads only when a result holds an image) and types.
import { ImageError, imageFromBase64 } from '../image.ts';
import type { ImageData } from '../types.ts';
import type { McpCallResult, SentImages } from './results.ts';

/** At most this many images of one result are sent; the rest stay placeholders (a server could send hundreds). */
export const MAX_RESULT_IMAGES = 8;

/** Each image block of `result` as the image glm sends (named `<label> image <n>`), or why it is not sent. */
export async function resultImages(result: McpCallResult, label: string): Promise<SentImages> {
  const sent = new Map<unknown, ImageData | string>();
  const blocks = (Array.isArray(result.content) ? result.content : []).filter((b) => (b as { type?: unknown })?.type === 'image');
  let count = 0;
  for (const block of blocks) {
    const data = (block as { data?: unknown }).data;
    if (typeof data !== 'string') continue;
    if (count >= MAX_RESULT_IMAGES) {
      sent.set(block, `glm sends at most ${MAX_RESULT_IMAGES} images of one result`);
      continue;
    }
    try {
      sent.set(block, await imageFromBase64(data, `${label} image ${count + 1}`));
      count++;
    } catch (e) {
      if (!(e instanceof ImageError)) throw e;
    }
  }
  return sent;
}

/** The images to send, in order. */
export const imagesToSend = (sent: SentImages): ImageData[] => [...sent.values()].filter((v): v is ImageData => typeof v === 'object');
