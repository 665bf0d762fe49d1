import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MAX_LINE_CHARS, MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from '../../src/limits.ts';
import { truncateOutput } from '../../src/truncate.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

describe('truncateOutput', () => {
  test('returns short text unchanged and writes nothing', async () => {
    const r = truncateOutput('hello\nworld', 'head', join(dir, 'spill'));
    expect(r).toEqual({ text: 'hello\nworld', truncated: false });
  });

  test('keeps the head of a long output and points to the full text', async () => {
    const text = numbered(5000);
    const r = truncateOutput(text, 'head', join(dir, 'spill'));
    expect(r.truncated).toBe(true);
    const lines = r.text.split('\n');
    expect(lines.length).toBeLessThanOrEqual(MAX_OUTPUT_LINES);
    expect(lines[0]).toBe('line 1');
    expect(lines.at(-1)).toContain(r.spillPath!);
    expect(lines.at(-1)).toMatch(/Read \(offset\/limit\)|Grep/);
    expect(await readFile(r.spillPath!, 'utf8')).toBe(text);
  });

  test('keeps the tail for command output, note first', async () => {
    const r = truncateOutput(numbered(5000), 'tail', join(dir, 'spill'));
    const lines = r.text.split('\n');
    expect(lines[0]).toMatch(/^\[Output truncated/);
    expect(lines.at(-1)).toBe('line 5000');
    expect(lines.length).toBeLessThanOrEqual(MAX_OUTPUT_LINES);
  });

  test('stays under the byte limit with few but wide lines', async () => {
    const text = Array.from({ length: 100 }, () => 'x'.repeat(1500)).join('\n');
    const r = truncateOutput(text, 'head', join(dir, 'spill'));
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  });

  test('cuts a single enormous line and keeps the full text on disk', async () => {
    const text = 'a'.repeat(MAX_LINE_CHARS * 3);
    const r = truncateOutput(text, 'tail', join(dir, 'spill'));
    const body = r.text.split('\n')[1]!;
    expect(body.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(body).toContain('more chars');
    expect(await readFile(r.spillPath!, 'utf8')).toBe(text);
  });

  test('still truncates when the spill folder cannot be created', async () => {
    await writeFile(join(dir, 'a-file'), 'x');
    const r = truncateOutput(numbered(3000), 'head', join(dir, 'a-file', 'spill'));
    expect(r.truncated).toBe(true);
    expect(r.spillPath).toBeUndefined();
    expect(r.text).toContain('could not be saved');
  });
});
