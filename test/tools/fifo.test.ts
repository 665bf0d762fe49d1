// No file tool may hang on what is not a regular file: real FIFOs made with mkfifo, devices, and stdin.
// Each test has a short timeout, and afterEach opens every FIFO for writing so a reader stuck on one is freed.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { editTool } from '../../tools/edit.ts';
import { globTool } from '../../tools/glob.ts';
import { grepExecute } from '../../tools/grep.ts';
import { findRipgrep } from '../../tools/grep-rg.ts';
import { lsTool } from '../../tools/ls.ts';
import { multiEditTool } from '../../tools/multi-edit.ts';
import { readTool } from '../../tools/read.ts';
import { writeTool } from '../../tools/write.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

const FAST = 3000;
let dir: string;
let cleanup: () => Promise<void>;
let fifos: string[] = [];

async function fifo(rel: string): Promise<string> {
  const abs = join(dir, rel);
  execFileSync('mkfifo', [abs]);
  fifos.push(abs);
  return abs;
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  await files(dir, { 'src/a.ts': 'needle\n', 'src/b.ts': 'hay\n' });
});
afterEach(async () => {
  for (const p of fifos) {
    const fh = await open(p, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined); // frees a stuck reader
    await fh?.close();
  }
  fifos = [];
  await cleanup();
});

describe('Read refuses what is not a regular file', () => {
  test('a FIFO, and a symlink to one', { timeout: FAST }, async () => {
    await fifo('pipe');
    await symlink('pipe', join(dir, 'link'));
    const r = await readTool.execute({ file_path: 'pipe' }, makeCtx(dir));
    expect(r).toMatchObject({ isError: true, output: 'pipe is a FIFO, not a regular file; glm does not read it.' });
    const l = await readTool.execute({ file_path: 'link' }, makeCtx(dir));
    expect(l).toMatchObject({ isError: true, output: 'link is a FIFO, not a regular file; glm does not read it.' });
  });

  test('devices and stdin', { timeout: FAST }, async () => {
    const zero = await readTool.execute({ file_path: '/dev/zero' }, makeCtx(dir));
    expect(zero).toMatchObject({ isError: true, output: '/dev/zero is a character device, not a regular file; glm does not read it.' });
    // Whatever stdin is here (a pipe, a terminal, /dev/null), it is not a regular file unless redirected from one.
    if (!(await stat('/dev/stdin')).isFile()) {
      for (const p of ['/dev/stdin', '/proc/self/fd/0']) {
        const r = await readTool.execute({ file_path: p }, makeCtx(dir));
        expect(r.isError, p).toBe(true);
        expect(r.output).toMatch(/^\/(dev|proc)\/\S+ is a (FIFO|character device|socket), not a regular file; glm does not read it\.$/);
      }
    }
  });
});

const engines = [['built-in', 'builtin'] as const, ...(findRipgrep() ? [['ripgrep', 'auto'] as const] : [])];

describe.each(engines)('Grep (%s) never opens a FIFO', (_name, engine) => {
  test('as the search root: refused before searching', { timeout: FAST }, async () => {
    await fifo('pipe');
    const r = await grepExecute({ pattern: 'x', path: 'pipe' }, makeCtx(dir), engine);
    expect(r).toMatchObject({ isError: true, output: 'pipe is a FIFO, not a regular file; glm does not read it.' });
  });

  test('met while walking a folder: skipped', { timeout: FAST }, async () => {
    await fifo('src/pipe.ts');
    await symlink('pipe.ts', join(dir, 'src/link.ts'));
    expect((await grepExecute({ pattern: 'needle' }, makeCtx(dir), engine)).output).toBe('src/a.ts');
    expect((await grepExecute({ pattern: 'needle', path: 'src', output_mode: 'count' }, makeCtx(dir), engine)).output).toBe('src/a.ts:1');
  });
});

describe('Glob and LS', () => {
  test('a FIFO as the folder is refused as such', { timeout: FAST }, async () => {
    await fifo('pipe');
    const refusal = { isError: true, output: 'pipe is a FIFO, not a regular file; glm does not read it.' };
    expect(await globTool.execute({ pattern: '*', path: 'pipe' }, makeCtx(dir))).toMatchObject(refusal);
    expect(await lsTool.execute({ path: 'pipe' }, makeCtx(dir))).toMatchObject(refusal);
  });

  test('listing a folder with a FIFO in it does not open it', { timeout: FAST }, async () => {
    await fifo('src/pipe');
    expect((await lsTool.execute({ path: 'src' }, makeCtx(dir))).output).toBe('src/\n  a.ts\n  b.ts\n  pipe');
    expect((await globTool.execute({ pattern: '**/*.ts' }, makeCtx(dir))).output.split('\n').sort()).toEqual(['src/a.ts', 'src/b.ts']);
  });
});

describe('Edit, MultiEdit and Write refuse a FIFO (reading or writing it would block)', () => {
  /** As if the path had been read as a regular file before a FIFO took its place. */
  async function staleFifo() {
    const abs = await fifo('pipe');
    const ctx = makeCtx(dir);
    ctx.state.readFiles.set(abs, (await stat(abs)).mtimeMs);
    return ctx;
  }
  const refusal = 'pipe is a FIFO, not a regular file; glm does not edit it.';

  test('Edit and MultiEdit, preview and execute', { timeout: FAST }, async () => {
    const ctx = await staleFifo();
    const edit = { file_path: 'pipe', old_string: 'a', new_string: 'b' };
    expect(await editTool.preview!(edit, ctx)).toEqual({ error: refusal });
    expect(await editTool.execute(edit, ctx)).toMatchObject({ isError: true, output: refusal });
    const multi = { file_path: 'pipe', edits: [{ old_string: 'a', new_string: 'b' }] };
    expect(await multiEditTool.preview!(multi, ctx)).toEqual({ error: refusal });
    expect(await multiEditTool.execute(multi, ctx)).toMatchObject({ isError: true, output: refusal });
  });

  test('Write, preview and execute; the FIFO stays', { timeout: FAST }, async () => {
    const ctx = await staleFifo();
    const args = { file_path: 'pipe', content: 'x' };
    const writeRefusal = 'pipe is a FIFO, not a regular file; glm does not write it.';
    expect(await writeTool.preview!(args, ctx)).toEqual({ error: writeRefusal });
    expect(await writeTool.execute(args, ctx)).toMatchObject({ isError: true, output: writeRefusal });
    expect((await stat(join(dir, 'pipe'))).isFIFO()).toBe(true);
  });
});
