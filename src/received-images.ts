// Images a program or an editor sends with a prompt (stream-json `image` blocks, ACP image content): base64 data
// only, scaled like --image (src/image.ts, loaded only when there are some). A URL source, or data that is not an
// image, refuses the whole prompt with one line: glm fetches nothing itself (only the configured model endpoints
// get data), and a prompt about an image must not silently go without it. Imports types; image.ts lazily.
import type { ImageData } from './types.ts';

/** One image of a prompt as it arrived: its base64 data, or only an address. */
export type ReceivedImage = { data: string } | { url: string };

export async function receivedImages(blocks: ReceivedImage[]): Promise<{ images: ImageData[] } | { refused: string }> {
  if (!blocks.length) return { images: [] };
  const byUrl = blocks.findIndex((b) => 'url' in b);
  if (byUrl >= 0) {
    return { refused: `image ${byUrl + 1} is a URL (${(blocks[byUrl] as { url: string }).url.slice(0, 200)}); glm does not fetch images: send the image's data as base64` };
  }
  const { imageFromBase64, ImageError } = await import('./image.ts');
  const images: ImageData[] = [];
  for (const [i, block] of blocks.entries()) {
    try {
      images.push(await imageFromBase64((block as { data: string }).data, `image ${i + 1}`));
    } catch (err) {
      if (err instanceof ImageError) return { refused: `image ${i + 1}: ${err.message}` };
      throw err;
    }
  }
  return { images };
}
