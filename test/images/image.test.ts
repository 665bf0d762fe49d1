// Images as GLM takes them: scaled with sharp to the longest side and byte limits, re-encoded as PNG or JPEG,
// sent as image_url content parts to vision models and as descriptions or left-out notes to text-only ones.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { IMAGE_MAX_SIDE, ImageError, imageContentPart, imageFromFile, prepareImage } from '../../src/image.ts';
import { lookupModel } from '../../src/providers.ts';
import type { ImageData } from '../../src/types.ts';
import { clientFor, collect, ended, request } from '../model/harness.ts';
import { startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';

const noisy = (width: number, height: number) => {
  const raw = randomBytes(width * height * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
};

describe('prepareImage', () => {
  test('a 6000×4000 photo is scaled to the longest side and the byte limit', async () => {
    const big = await noisy(6000, 4000).jpeg({ quality: 90 }).toBuffer();
    expect(big.length).toBeGreaterThan(3_500_000);
    const img = await prepareImage(big, "photo.jpg");
    expect(Math.max(img.width, img.height)).toBe(IMAGE_MAX_SIDE);
    expect(img.width / img.height).toBeCloseTo(1.5, 2);
    expect(Buffer.from(img.data, 'base64').length).toBeLessThanOrEqual(3_500_000);
    const meta = await sharp(Buffer.from(img.data, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([img.width, img.height]);
    expect(img.mediaType).toBe(meta.format === 'png' ? 'image/png' : 'image/jpeg');
  }, 60_000);

  test('a small PNG is sent as it is; GIF and WebP become PNG', async () => {
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: 'red' } }).png().toBuffer();
    const same = await prepareImage(png, 'a.png');
    expect(same).toMatchObject({ mediaType: 'image/png', width: 40, height: 30, name: 'a.png' });
    expect(Buffer.from(same.data, 'base64').equals(png)).toBe(true);
    for (const format of ['gif', 'webp'] as const) {
      const bytes = await sharp({ create: { width: 40, height: 30, channels: 3, background: 'blue' } })[format]().toBuffer();
      const img = await prepareImage(bytes, `a.${format}`);
      expect(img).toMatchObject({ mediaType: 'image/png', width: 40, height: 30 });
    }
  });

  test('a file that is not an image is refused with one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'glm-img-'));
    writeFileSync(path.join(dir, 'fake.png'), 'not a png at all');
    await expect(imageFromFile(path.join(dir, 'fake.png'))).rejects.toThrow(ImageError);
    await expect(imageFromFile(path.join(dir, 'fake.png'))).rejects.toThrow(/fake.png is not an image/);
    await expect(imageFromFile(path.join(dir, 'none.png'))).rejects.toThrow(/no image file/);
  });

  test('imageContentPart is the OpenAI image_url part with a data URI', () => {
    expect(imageContentPart({ mediaType: 'image/png', data: 'AAAA' })).toEqual({ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } });
  });
});

describe('images in requests', () => {
  let fake: FakeGlm;
  beforeAll(async () => {
    fake = await startFakeGlm({ strict: true });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  const img: ImageData = { mediaType: 'image/png', data: 'iVBORw0KGgo=', name: 'shot.png', width: 1280, height: 720 };

  test('a vision model gets the image as an image_url part after the text', async () => {
    fake.reply(text('I see a button'));
    const events = await collect(clientFor(fake, { model: 'glm-5v-turbo', modelInfo: lookupModel('glm-5v-turbo') }), request([{ role: 'user', content: 'What is this?', images: [img] }]));
    ended(events);
    expect(fake.violations).toEqual([]);
    expect(fake.requests[0].messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  test('a text-only model gets the description, marked as one, and no image part', async () => {
    fake.reply(text('ok'));
    const described = { ...img, description: 'A login form with a red error banner.' };
    ended(await collect(clientFor(fake, { model: 'glm-5.2', modelInfo: lookupModel('glm-5.2') }), request([{ role: 'user', content: 'Fix it', images: [described] }])));
    expect(fake.violations).toEqual([]);
    const content = fake.requests[0].messages.at(-1).content;
    expect(typeof content).toBe('string');
    expect(content).toContain('Fix it');
    expect(content).toContain('[Description of image 1: shot.png 1280×720, written by a vision model');
    expect(content).toContain('A login form with a red error banner.');
    expect(content).not.toContain('base64');
  });

  test('a text-only model without a description is told the image was left out', async () => {
    fake.reply(text('ok'));
    ended(await collect(clientFor(fake, { model: 'glm-5.2', modelInfo: lookupModel('glm-5.2') }), request([{ role: 'user', content: 'Fix it', images: [img] }])));
    expect(fake.requests[0].messages.at(-1).content).toMatch(/image 1: shot.png 1280×720 was left out/);
  });

  test('the fake server refuses an image part sent to a text-only model, as GLM does', async () => {
    fake.reply(text('ok'));
    const events = await collect(clientFor(fake, { model: 'glm-5.2', modelInfo: { ...lookupModel('glm-5.2'), vision: true } }), request([{ role: 'user', content: 'x', images: [img] }]));
    expect(events.at(-1)).toMatchObject({ type: 'error' });
    expect(fake.violations.join()).toMatch(/does not support image input/);
  });
});
