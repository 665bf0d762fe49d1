// Read's image branch: a PNG, JPEG, GIF or WebP file comes back as an image (scaled by src/image.ts), which
// the loop sends in a user message after the tool results; other image formats are refused with what to do.
// Imports src/image.ts and src/tool.ts only.
import { ImageError, imageFromFile, isSendableImage } from '../src/image.ts';
import type { ToolResult } from '../src/tool.ts';

export async function readImage(abs: string, shown: string): Promise<ToolResult> {
  if (!isSendableImage(abs)) {
    return { output: `${shown} is an image in a format glm cannot send; Read shows PNG, JPEG, GIF and WebP images. Convert it with Bash (e.g. ImageMagick: convert in.tif out.png) and Read the PNG.`, isError: true };
  }
  try {
    const img = await imageFromFile(abs);
    img.name = shown;
    return {
      output: `${shown} is an image (${img.width}×${img.height}); it follows in the next message.`,
      display: { summary: `image ${img.width}×${img.height}` },
      images: [img],
    };
  } catch (e) {
    if (e instanceof ImageError) return { output: `${shown}: ${e.message}.`, isError: true };
    throw e;
  }
}
