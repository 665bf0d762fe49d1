import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MAX_LINE_CHARS, MAX_OUTPUT_BYTES, MAX_OUTPUT_LINES } from '../../src/limits.ts';
import { truncateOutput } from '../../src/truncate.ts';
import { readTool } from '../../tools/read.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const lines = (n: number) => Array.from({ length: n }, (_, i) => `row ${i + 1}`).join('\n') + '\n';

describe('Read', () => {
  test('numbers lines like cat -n and records the read', async () => {
    await files(dir, { 'src/a.ts': 'const a = 1;\nexport { a };\n' });
    const ctx = makeCtx(dir);
    const r = await readTool.execute({ file_path: 'src/a.ts' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe('     1\tconst a = 1;\n     2\texport { a };');
    // The tool line's title names the file; its result says how much was read.
    expect(r.display?.summary).toBe('2 lines');
    const abs = join(dir, 'src/a.ts');
    expect(ctx.state.readFiles.get(abs)).toBe((await stat(abs)).mtimeMs);
  });

  test('reads a window with offset/limit and says how to get the rest', async () => {
    await files(dir, { 'big.txt': lines(50) });
    const r = await readTool.execute({ file_path: join(dir, 'big.txt'), offset: 10, limit: 5 }, makeCtx(dir));
    expect(r.output.split('\n')[0]).toBe('    10\trow 10');
    expect(r.output).toContain('    14\trow 14');
    expect(r.output).not.toContain('row 15');
    expect(r.output).toContain('Showing lines 10–14 of 50');
    expect(r.output).toContain('offset=15');
    expect(r.display?.summary).toBe('lines 10–14 of 50');
  });

  test('a long file is cut so that the loop never has to truncate it again', async () => {
    await files(dir, { 'huge.txt': lines(5000) });
    const r = await readTool.execute({ file_path: 'huge.txt' }, makeCtx(dir));
    expect(r.output).toMatch(/Showing lines 1–\d+ of 5000/);
    expect(truncateOutput(r.output, 'head', join(dir, 'spill')).truncated).toBe(false);
    const next = /offset=(\d+)/.exec(r.output)![1];
    const r2 = await readTool.execute({ file_path: 'huge.txt', offset: Number(next), limit: 1 }, makeCtx(dir));
    expect(r2.output.split('\n')[0]).toBe(`${next.padStart(6)}\trow ${next}`);
  });

  test('wide lines are cut with a marker and the byte budget holds', async () => {
    await files(dir, { 'min.js': Array.from({ length: 200 }, () => 'x'.repeat(5000)).join('\n') });
    const r = await readTool.execute({ file_path: 'min.js' }, makeCtx(dir));
    const first = r.output.split('\n')[0]!;
    expect(first.length).toBeLessThanOrEqual(MAX_LINE_CHARS);
    expect(first).toContain('more chars');
    expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(r.output.split('\n').length).toBeLessThanOrEqual(MAX_OUTPUT_LINES);
    expect(r.output).toContain('output size limit');
  });

  test('missing file: suggests similar names nearby', async () => {
    await files(dir, { 'src/config.ts': '', 'lib/deep/util.ts': '' });
    const r1 = await readTool.execute({ file_path: 'src/confg.ts' }, makeCtx(dir));
    expect(r1.isError).toBe(true);
    expect(r1.output).toContain('File not found: src/confg.ts');
    expect(r1.output).toContain('src/config.ts');
    const r2 = await readTool.execute({ file_path: 'util.ts' }, makeCtx(dir));
    expect(r2.output).toContain('lib/deep/util.ts');
  });

  test('directories, images, binaries and empty files get clear answers', async () => {
    await files(dir, { 'sub/x.txt': 'x', 'empty.txt': '' });
    await writeFile(join(dir, 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(join(dir, 'blob.dat2'), Buffer.from([1, 2, 0, 3]));
    const ctx = makeCtx(dir);
    const d = await readTool.execute({ file_path: 'sub' }, ctx);
    expect(d).toMatchObject({ isError: true });
    expect(d.output).toContain('Use LS');
    // A broken PNG is refused with one line; a real one comes back as an image (test/images/read-image.test.ts).
    expect((await readTool.execute({ file_path: 'pic.png' }, ctx)).output).toMatch(/pic.png: pic.png is not an image glm can read/);
    await writeFile(join(dir, 'pic.tiff'), Buffer.from([0x49, 0x49, 0x2a, 0]));
    expect((await readTool.execute({ file_path: 'pic.tiff' }, ctx)).output).toMatch(/an image in a format glm cannot send/);
    expect((await readTool.execute({ file_path: 'blob.dat2' }, ctx)).output).toContain('binary file');
    const e = await readTool.execute({ file_path: 'empty.txt' }, ctx);
    expect(e.isError).toBeFalsy();
    expect(e.output).toContain('is empty');
  });

  test('offset past the end is an error that says how long the file is', async () => {
    await files(dir, { 'a.txt': lines(3) });
    const r = await readTool.execute({ file_path: 'a.txt', offset: 10 }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(r.output).toContain('has 3 lines');
  });

  test('title shows the path relative to the working directory', () => {
    expect(readTool.title({ file_path: join(process.cwd(), 'src', 'a.ts') })).toBe('Read src/a.ts');
    expect(readTool.target!({ file_path: 'src/a.ts' })).toBe('src/a.ts');
  });
});
