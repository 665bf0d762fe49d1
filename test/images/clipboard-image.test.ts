// Ctrl+V's clipboard reading with real executables: fake `xclip` and `wl-paste` scripts in a temp PATH folder
// answer as the real tools do (the list of types, then the bytes of one), so the argv glm passes is checked too.
import { chmod, mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readClipboardImage } from '../../src/clipboard-image.ts';
import { prepareImage } from '../../src/image.ts';
import { pastedImagePaths } from '../../src/ui/pasted-paths.ts';

async function toolDir(name: string, script: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-clip-'));
  await writeFile(path.join(dir, name), `#!/bin/sh\n${script}`);
  await chmod(path.join(dir, name), 0o755);
  return dir;
}

describe('Ctrl+V: the clipboard image', () => {
  it('xclip: asks for the TARGETS, reads image/png, and the bytes become [image 1: clipboard.png 800×600]', async () => {
    const png = path.join(await mkdtemp(path.join(os.tmpdir(), 'glm-clip-')), 'c.png');
    await sharp({ create: { width: 800, height: 600, channels: 3, background: '#00aa00' } }).png().toFile(png);
    const dir = await toolDir('xclip', `case "$*" in\n  "-selection clipboard -t TARGETS -o") printf 'TARGETS\\nUTF8_STRING\\nimage/png\\n' ;;\n  "-selection clipboard -t image/png -o") cat '${png}' ;;\n  *) echo "bad args: $*" >&2; exit 1 ;;\nesac\n`);
    const got = await readClipboardImage({ PATH: `${dir}:/usr/bin:/bin` }, 'linux'); // the script runs cat
    expect('bytes' in got && got.tool).toBe('xclip');
    const image = await prepareImage((got as { bytes: Buffer }).bytes, 'clipboard.png');
    expect([image.mediaType, image.width, image.height]).toEqual(['image/png', 800, 600]);
  });

  it('a copied file (text/uri-list) comes back as its URI, which the REPL reads as a pasted path', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'glm-clip-'));
    await mkdir(path.join(folder, 'my pics'));
    const file = path.join(folder, 'my pics', 'a b.png');
    await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toFile(file);
    const uri = `file://${file.split('/').map(encodeURIComponent).join('/')}`;
    const dir = await toolDir('xclip', `case "$*" in\n  *TARGETS*) printf 'TARGETS\\ntext/uri-list\\n' ;;\n  *uri-list*) printf '%s\\n' '${uri}' ;;\n  *) exit 1 ;;\nesac\n`);
    const got = await readClipboardImage({ PATH: dir }, 'linux');
    expect(got).toEqual({ text: uri, tool: 'xclip' });
    expect(pastedImagePaths((got as { text: string }).text, '/')).toEqual([file]);
  });

  it('wl-paste under Wayland; text only on the clipboard is one line saying so', async () => {
    const dir = await toolDir('wl-paste', `case "$*" in\n  --list-types) printf 'text/plain\\nUTF8_STRING\\n' ;;\n  *) exit 1 ;;\nesac\n`);
    expect(await readClipboardImage({ PATH: dir, WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toEqual({ notice: "The clipboard holds no image (copy one, or paste the image file's path)" });
  });

  it('no clipboard tool: one line naming the tools to install', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'glm-clip-'));
    const got = await readClipboardImage({ PATH: empty }, 'linux');
    expect(got).toEqual({ notice: expect.stringMatching(/^Ctrl\+V pastes an image with wl-paste \(Wayland\), xclip \(X11\) or pbpaste \(macOS\), and none is installed: install wl-clipboard or xclip/) });
  });
});

describe('pasted image paths', () => {
  it('quoted, with escaped spaces, as file:// URIs, several at once; anything else is text', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-paste-'));
    const a = path.join(dir, 'shot one.png');
    const b = path.join(dir, 'b.JPG');
    await writeFile(a, 'x');
    await writeFile(b, 'x');
    expect(pastedImagePaths(`'${a}'`, '/')).toEqual([a]);
    expect(pastedImagePaths(`"${a}" `, '/')).toEqual([a]);
    expect(pastedImagePaths(a.replace(/ /g, '\\ '), '/')).toEqual([a]);
    expect(pastedImagePaths(`file://${a.replace(/ /g, '%20')}\n${b}`, '/')).toEqual([a, b]);
    expect(pastedImagePaths('b.JPG', dir)).toEqual([b]);
    expect(pastedImagePaths(a, '/')).toBeUndefined(); // unquoted with a space: two words, neither a file
    expect(pastedImagePaths(`look at '${a}'`, '/')).toBeUndefined();
    expect(pastedImagePaths(path.join(dir, 'gone.png'), '/')).toBeUndefined();
    expect(pastedImagePaths(`'${a}`, '/')).toBeUndefined();
  });
});
