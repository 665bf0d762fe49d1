// Read of an image file: PNG, JPEG, GIF and WebP come back as a scaled image for the loop to send.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect, test } from 'vitest';
import { readTool } from '../../tools/read.ts';
import { makeCtx } from '../tools/helpers.ts';

test('Read returns PNG, JPEG, GIF and WebP files as images, big ones scaled down', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glm-read-img-'));
  const base = () => sharp({ create: { width: 3000, height: 1000, channels: 3, background: '#ff0000' } });
  writeFileSync(join(dir, 'a.png'), await base().png().toBuffer());
  writeFileSync(join(dir, 'b.jpg'), await base().jpeg().toBuffer());
  writeFileSync(join(dir, 'c.gif'), await base().gif().toBuffer());
  writeFileSync(join(dir, 'd.webp'), await base().webp().toBuffer());
  for (const [file, type] of [['a.png', 'image/png'], ['b.jpg', 'image/jpeg'], ['c.gif', 'image/png'], ['d.webp', 'image/png']]) {
    const r = await readTool.execute({ file_path: file }, makeCtx(dir));
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe(`${file} is an image (2048×683); it follows in the next message.`);
    expect(r.images).toHaveLength(1);
    expect(r.images![0]).toMatchObject({ name: file, mediaType: type, width: 2048, height: 683 });
  }
});
