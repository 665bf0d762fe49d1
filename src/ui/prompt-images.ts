// The images attached to the prompt being typed: a pasted or dragged image path, an `@shot.png` mention, Ctrl+V.
// Each shows in the prompt as `[image 1: shot.png 1280×720]` and goes with it when submitted, as `--image` sends
// it, unless its label was deleted. The host reads and scales the image (src/ui may not import src/image.ts).
import { safeLine } from '../terminal-text.ts';
import type { ReplHost } from './host.ts';
import { mentionedInside } from './mentions.ts';
import { isImageName, pastedImagePaths } from './pasted-paths.ts';
import type { Tone } from './state.ts';
import type { ImageData } from '../types.ts';

/** How prompts show an image (the words of src/image.ts imageLabel); a file name's control characters escaped. */
export const imageLabel = (img: Pick<ImageData, 'name' | 'width' | 'height'>, n: number): string => `[image ${n}: ${safeLine(img.name)} ${img.width}×${img.height}]`;

const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

export class PromptImages {
  private attached: { label: string; image: ImageData }[] = [];
  /** Set by the app: inserts text at the prompt's cursor. */
  onInsert?: (text: string) => void;

  constructor(
    private readonly host: Pick<ReplHost, 'imageFromFile' | 'clipboardImage' | 'config' | 'readDenied'>,
    private readonly notice: (text: string, tone: Tone) => void,
  ) {}

  /** Whether this host can attach images at all. */
  get enabled(): boolean {
    return this.host.imageFromFile !== undefined;
  }

  /** The absolute image paths a paste consists of (then it is attached, not typed), else undefined. */
  pastedPaths(text: string): string[] | undefined {
    return this.enabled ? pastedImagePaths(text, this.host.config.cwd) : undefined;
  }

  /** Reads each file and inserts the labels of those that are images; one notice per file that is not. */
  async attachFiles(paths: string[]): Promise<void> {
    const labels: string[] = [];
    for (const file of paths) {
      try {
        labels.push(this.add(await this.host.imageFromFile!(file)));
      } catch (err) {
        this.notice(oneLine(err), 'warn');
      }
    }
    if (labels.length) this.onInsert?.(`${labels.join(' ')} `);
  }

  /** Ctrl+V: the clipboard's image (or the image file whose path it holds), else one line saying why not. */
  async pasteClipboard(): Promise<void> {
    if (!this.host.clipboardImage) return this.notice('This front end cannot read the clipboard; paste the image file\'s path instead.', 'warn');
    try {
      const got = await this.host.clipboardImage();
      if ('image' in got) return this.onInsert?.(`${this.add(got.image)} `);
      if ('notice' in got) return this.notice(got.notice, 'warn');
      const paths = pastedImagePaths(got.text.replace(/^copy\n/, ''), this.host.config.cwd);
      if (paths) return this.attachFiles(paths);
      this.notice('The clipboard holds no image (copy one, or paste the image file\'s path)', 'warn');
    } catch (err) {
      this.notice(`Could not paste the clipboard's image: ${oneLine(err)}`, 'warn');
    }
  }

  private add(image: ImageData): string {
    const label = imageLabel(image, this.attached.length + 1);
    this.attached.push({ label, image });
    return label;
  }

  /** The images whose labels are still in `text`, in order; the prompt is sent, so numbering starts again. */
  take(text: string): ImageData[] {
    const images = this.attached.filter((a) => text.includes(a.label)).map((a) => a.image);
    this.attached = [];
    return images;
  }

  /** Whether `@mention` names an image this REPL sends as one (mentions.ts then leaves it alone). */
  isImageMention = (mention: string): boolean => this.enabled && isImageName(mention);

  /** `@shot.png` mentions in a submitted prompt: their images, numbered after `before` pasted ones, and labels. */
  async fromMentions(text: string, before: number): Promise<{ images: ImageData[]; labels: string[] }> {
    const images: ImageData[] = [];
    const labels: string[] = [];
    for (const file of this.enabled ? mentionedInside(text, this.host.config.cwd, isImageName, this.host.readDenied?.bind(this.host)) : []) {
      try {
        const image = await this.host.imageFromFile!(file);
        images.push(image);
        labels.push(imageLabel(image, before + images.length));
      } catch (err) {
        this.notice(oneLine(err), 'warn');
      }
    }
    return { images, labels };
  }
}
