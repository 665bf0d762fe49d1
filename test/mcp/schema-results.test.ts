// What glm sends of an MCP tool (cleaned schema, capped description, a valid function name) and what the model
// reads of its result (text, structured content, resource links and embedded resources, placeholders for media).
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { MAX_RESULT_IMAGES, imagesToSend, resultImages } from '../../src/mcp/result-images.ts';
import { resultText } from '../../src/mcp/results.ts';
import { MAX_DESCRIPTION, STRIPPED_KEYWORDS, capDescription, cleanInputSchema, exposedToolName } from '../../src/mcp/schema.ts';

describe('tool schemas', () => {
  it('strips exactly $schema, $id and $comment, at every depth, but not properties of those names', () => {
    expect(STRIPPED_KEYWORDS).toEqual(['$schema', '$id', '$comment']);
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'urn:x',
      type: 'object',
      properties: {
        $schema: { type: 'string', $comment: 'a property named $schema stays' },
        list: { type: 'array', items: { $schema: 'x', type: 'number' } },
        either: { anyOf: [{ $id: 'a', type: 'string' }, { type: 'null' }] },
      },
      $defs: { d: { $comment: 'c', type: 'string' } },
      additionalProperties: false,
      required: ['list'],
    };
    expect(cleanInputSchema(schema)).toEqual({
      type: 'object',
      properties: {
        $schema: { type: 'string' },
        list: { type: 'array', items: { type: 'number' } },
        either: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
      $defs: { d: { type: 'string' } },
      additionalProperties: false,
      required: ['list'],
    });
  });

  it('always sends an object schema with properties', () => {
    expect(cleanInputSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(cleanInputSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} });
  });

  it('caps descriptions and falls back when there is none', () => {
    expect(capDescription('x'.repeat(5000), 'f')).toHaveLength(MAX_DESCRIPTION);
    expect(capDescription('  ', 'fallback')).toBe('fallback');
  });

  it('names tools mcp__server__tool with only the characters function names take, at most 64; an altered name ends in its own hash', () => {
    expect(exposedToolName('fs', 'read_file')).toBe('mcp__fs__read_file');
    expect(exposedToolName('fs', 'files/read.v2')).toMatch(/^mcp__fs__files_read_v2_[0-9a-f]{8}$/);
    expect(exposedToolName('fs', 'files_read_v2')).toBe('mcp__fs__files_read_v2'); // not the same tool as files/read.v2
    expect(exposedToolName('fs', 'files/read.v2')).not.toBe(exposedToolName('fs', 'files.read.v2'));
    const [a, b] = [exposedToolName('s', `${'x'.repeat(100)}a`), exposedToolName('s', `${'x'.repeat(100)}b`)];
    expect([a.length, b.length]).toEqual([64, 64]);
    expect(a).not.toBe(b);
    expect(exposedToolName('s', `${'x'.repeat(100)}a`)).toBe(a); // stable
    expect(exposedToolName('s', 'y'.repeat(55))).toBe(`mcp__s__${'y'.repeat(55)}`); // exactly 63: as it is
    expect(exposedToolName('a'.repeat(40), 'z'.repeat(30))).toMatch(new RegExp(`^mcp__a{40}__z{8}_[0-9a-f]{8}$`));
  });
});

describe('tool results', () => {
  it('text blocks, joined', () => {
    expect(resultText({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toEqual({ output: 'a\n\nb', isError: false });
  });

  it('structured content as JSON, unless a text block already holds it', () => {
    const structured = { temperature: 22, city: 'Chicago' };
    expect(resultText({ content: [], structuredContent: structured }).output).toBe(JSON.stringify(structured, null, 2));
    expect(resultText({ content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured }).output).toBe(JSON.stringify(structured));
  });

  it('resource links and embedded resources; images, audio and blobs as one placeholder line with type and size', () => {
    const out = resultText({
      content: [
        { type: 'resource_link', uri: 'demo://r/1', name: 'One', mimeType: 'text/plain', description: 'first' },
        { type: 'resource', resource: { uri: 'demo://r/2', mimeType: 'text/plain', text: 'hello' } },
        { type: 'resource', resource: { uri: 'demo://r/3', mimeType: 'application/octet-stream', blob: 'AAAA' } },
        { type: 'image', mimeType: 'image/png', data: 'A'.repeat(4000) },
        { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' },
      ],
    }).output.split('\n\n');
    expect(out).toEqual([
      '[resource link demo://r/1: One · text/plain · first]',
      '[resource demo://r/2 (text/plain)]\nhello',
      '[binary resource demo://r/3: application/octet-stream, 3 bytes; not shown]',
      '[image: image/png, 2.9 KB; not sent: not a PNG, JPEG, GIF or WebP image glm could read]',
      '[audio: audio/wav, 3 bytes; glm does not pass audio to the model]',
    ]);
  });

  it('isError becomes an error result', () => {
    expect(resultText({ content: [{ type: 'text', text: 'bad input' }], isError: true })).toEqual({ output: 'bad input', isError: true });
    expect(resultText({ content: [], isError: true })).toEqual({ output: 'The tool failed and said nothing more.', isError: true });
  });
});

describe('images in tool results', () => {
  const png = async (w: number, h: number) => (await sharp({ create: { width: w, height: h, channels: 3, background: '#c33' } }).png().toBuffer()).toString('base64');

  it('an image the server sends becomes an image for the next message; its line names type, size and the name it goes by', async () => {
    const data = await png(20, 10);
    const result = { content: [{ type: 'text', text: 'here:' }, { type: 'image', mimeType: 'image/png', data }] };
    const sent = await resultImages(result, 'everything get-tiny-image');
    expect(imagesToSend(sent)).toMatchObject([{ name: 'everything get-tiny-image image 1', mediaType: 'image/png', width: 20, height: 10, data }]);
    const bytes = Buffer.from(data, 'base64').length;
    expect(resultText(result, sent).output).toBe(`here:\n\n[image: image/png, ${bytes} bytes, 20×10; it follows in the next message as "everything get-tiny-image image 1"]`);
  });

  it('an SVG or broken image stays a placeholder; at most MAX_RESULT_IMAGES are sent', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>').toString('base64');
    const good = await png(2, 2);
    const content = [{ type: 'image', mimeType: 'image/svg+xml', data: svg }, { type: 'image', mimeType: 'image/png', data: 'bm90IGFuIGltYWdl' }, ...Array.from({ length: MAX_RESULT_IMAGES + 2 }, () => ({ type: 'image', mimeType: 'image/png', data: good }))];
    const sent = await resultImages({ content }, 's t');
    expect(imagesToSend(sent)).toHaveLength(MAX_RESULT_IMAGES);
    expect(sent.has(content[0]) || sent.has(content[1])).toBe(false);
    const lines = resultText({ content }, sent).output.split('\n\n');
    expect(lines[0]).toMatch(/^\[image: image\/svg\+xml, \d+ bytes; not sent: not a PNG, JPEG, GIF or WebP image glm could read\]$/);
    expect(lines.filter((l) => l.includes('it follows in the next message'))).toHaveLength(MAX_RESULT_IMAGES);
    expect(lines.slice(-2)).toEqual(Array(2).fill(`[image: image/png, ${Buffer.from(good, 'base64').length} bytes; not sent: glm sends at most ${MAX_RESULT_IMAGES} images of one result]`));
  });
});
