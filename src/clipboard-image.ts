// Ctrl+V in the REPL: the clipboard's image, read with the platform's clipboard tool (wl-paste on Wayland, xclip
// on X11, pbpaste on macOS, which gives text only: a copied file's path). The tool is looked up on PATH, never
// through a shell. Imports node built-ins and on-path.ts only; the REPL host turns the bytes into an image (src/image.ts).
import { execFile } from 'node:child_process';
import { findOnPath } from './on-path.ts';

export type ClipboardImage =
  /** Image bytes (PNG, JPEG, GIF or WebP as the tool gave them). */
  | { bytes: Buffer; tool: string }
  /** The clipboard holds a file's path or file:// URI (a file copied in a file manager, or pbpaste's text). */
  | { text: string; tool: string }
  /** Nothing to paste, in one line: no tool, or no image on the clipboard. */
  | { notice: string };

const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const TIMEOUT_MS = 5000;

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'buffer', timeout: TIMEOUT_MS, maxBuffer: 100_000_000 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

const NO_TOOL = 'Ctrl+V pastes an image with wl-paste (Wayland), xclip (X11) or pbpaste (macOS), and none is installed: install wl-clipboard or xclip, or paste the image file\'s path';
const NO_IMAGE = 'The clipboard holds no image (copy one, or paste the image file\'s path)';

/** What the clipboard holds that can become an image, read with the first tool that applies here. */
export async function readClipboardImage(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<ClipboardImage> {
  const wl = env.WAYLAND_DISPLAY ? findOnPath('wl-paste', env) : undefined;
  if (wl) return fromTool('wl-paste', wl, ['--list-types'], (type) => ['--no-newline', '--type', type], env);
  const xclip = findOnPath('xclip', env);
  if (xclip) return fromTool('xclip', xclip, ['-selection', 'clipboard', '-t', 'TARGETS', '-o'], (type) => ['-selection', 'clipboard', '-t', type, '-o'], env);
  const pbpaste = platform === 'darwin' ? findOnPath('pbpaste', env) : undefined;
  if (pbpaste) {
    const text = (await run(pbpaste, [], env))?.toString('utf8').trim();
    return text ? { text, tool: 'pbpaste' } : { notice: NO_IMAGE };
  }
  return { notice: NO_TOOL };
}

/** Asks the tool which types the clipboard offers, then reads an image type, else a file list (text/uri-list). */
async function fromTool(tool: string, file: string, listArgs: string[], readArgs: (type: string) => string[], env: NodeJS.ProcessEnv): Promise<ClipboardImage> {
  const listed = await run(file, listArgs, env);
  if (!listed) return { notice: `${tool} could not read the clipboard (is a display available?)` };
  const types = listed.toString('utf8').split(/\s+/).filter(Boolean);
  const image = IMAGE_TYPES.find((t) => types.includes(t));
  if (image) {
    const bytes = await run(file, readArgs(image), env);
    return bytes?.length ? { bytes, tool } : { notice: `${tool} gave no ${image} data` };
  }
  const list = types.includes('text/uri-list') ? await run(file, readArgs('text/uri-list'), env) : undefined;
  const text = list?.toString('utf8').trim();
  return text ? { text, tool } : { notice: NO_IMAGE };
}
