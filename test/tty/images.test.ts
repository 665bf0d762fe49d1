// Images in the REPL, in a real terminal: a dragged (pasted) image path, quoted with a space in its name, and an
// `@shot.png` mention become `[image n: name W×H]` and go with the prompt as --image sends them: to a text-only
// model through the vision model (vision routing), to a vision model as an image_url part. Ctrl+V reads the
// clipboard through a fake xclip on PATH. The built `glm` runs in tmux against the fake GLM server.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { text } from '../support/fake-glm-server.ts';
import { glmInTerminal } from './support/glm-terminal.ts';

const tty = glmInTerminal('images', {});

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#3366cc' } }).png().toBuffer();
type Part = { type: string; text?: string; image_url?: { url: string } };
type Message = { role: string; content: string | Part[] };
type Body = { model: string; messages: Message[] };
const imageParts = (m: Message | undefined) => (Array.isArray(m?.content) ? m.content.filter((p) => p.type === 'image_url') : []);
const textOf = (m: Message | undefined) => (typeof m?.content === 'string' ? m.content : (m?.content ?? []).map((p) => p.text ?? '').join(''));

describe('images in the REPL', () => {
  it('a dragged image path (quoted, a space in the name) shows as [image 1: …] and goes to the vision model for a text-only model', async () => {
    const file = path.join(tty.sb.repo, 'my shot.png');
    await writeFile(file, await png(1280, 720));
    tty.fake.reply(text('A login form with a red error banner.'), text('The banner says the password is wrong.'));
    const t = await tty.start({ args: ['--model', 'glm-5.1'] });
    t.type('what does this say? ');
    t.paste(`'${file}' `);
    await t.waitFor('[image 1: my shot.png 1280×720]');
    expect(t.screen()).not.toContain(tty.sb.repo);
    t.press('Enter');
    await t.waitFor('The banner says the password is wrong.');
    const [vision, main] = tty.fake.requests as Body[];
    expect(vision!.model).toBe('glm-5v-turbo');
    expect(imageParts(vision!.messages.at(-1))).toHaveLength(1);
    expect(textOf(vision!.messages.at(-1))).toContain('what does this say? [image 1: my shot.png 1280×720]');
    expect(main!.model).toBe('glm-5.1');
    expect(imageParts(main!.messages.at(-1))).toHaveLength(0);
    expect(textOf(main!.messages.at(-1))).toContain('A login form with a red error banner.');
  });

  it('an @shot.png mention is completed from the project files and sent as an image, not as a file attachment', async () => {
    await writeFile(path.join(tty.sb.repo, 'shot.png'), await png(640, 480));
    tty.fake.reply(text('A blue rectangle.'));
    const t = await tty.start({ args: ['--model', 'glm-4.6v'] });
    t.type('what colour is @sho');
    await t.waitFor('@shot.png');
    t.press('Tab');
    await t.waitFor('[image 1: shot.png 640×480]');
    t.type('?');
    t.press('Enter');
    await t.waitFor('A blue rectangle.');
    const user = (tty.fake.requests[0] as Body).messages.at(-1);
    expect(imageParts(user)).toHaveLength(1);
    expect(imageParts(user)[0]!.image_url!.url).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(textOf(user)).toContain('what colour is [image 1: shot.png 640×480]');
    expect(textOf(user)).not.toContain('binary file');
  });

  it('an @shot.png typed in full (no completion) goes as an image too, its label shown under the prompt', async () => {
    await writeFile(path.join(tty.sb.repo, 'shot.png'), await png(320, 200));
    tty.fake.reply(text('Blue.'));
    const t = await tty.start({ args: ['--model', 'glm-4.6v'] });
    t.type('colour of @shot.png please');
    await t.waitFor('@shot.png please');
    t.press('Enter');
    await t.waitFor('Blue.');
    expect(t.screen()).toContain('[image 1: shot.png 320×200]');
    const user = (tty.fake.requests[0] as Body).messages.at(-1);
    expect(imageParts(user)).toHaveLength(1);
  });

  it('Ctrl+V pastes the clipboard image read with xclip (a fake one on PATH)', async () => {
    const bin = path.join(tty.sb.home, 'bin');
    await mkdir(bin, { recursive: true });
    const image = path.join(tty.sb.home, 'clip.png');
    await writeFile(image, await png(800, 600));
    const script = `#!/bin/sh\ncase "$*" in\n  *TARGETS*) printf 'TARGETS\\nimage/png\\n' ;;\n  *image/png*) cat '${image}' ;;\n  *) exit 1 ;;\nesac\n`;
    await writeFile(path.join(bin, 'xclip'), script);
    await chmod(path.join(bin, 'xclip'), 0o755);
    tty.fake.reply(text('A blue clipboard image.'));
    const t = await tty.start({ args: ['--model', 'glm-4.6v'], env: { PATH: `${bin}:${tty.sb.env.PATH}` } });
    t.type('look:');
    await t.waitFor('look:'); // typed apart from Ctrl+V, as a person would (one chunk would be a paste)
    t.press('C-v');
    await t.waitFor('[image 1: clipboard.png 800×600]');
    t.press('Enter');
    await t.waitFor('A blue clipboard image.');
    expect(imageParts((tty.fake.requests[0] as Body).messages.at(-1))).toHaveLength(1);
  });
});
