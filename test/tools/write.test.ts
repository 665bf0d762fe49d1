import { chmod, readFile, readdir, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readTool } from '../../tools/read.ts';
import { writeTool } from '../../tools/write.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('Write', () => {
  test('a 20,000-line rewrite says how many lines changed instead of a diff, and quickly', async () => {
    const lines = (word: string) => Array.from({ length: 20_000 }, (_, i) => `${word} ${i}`).join('\n') + '\n';
    await writeFile(join(dir, 'big.txt'), lines('old'));
    const ctx = makeCtx(dir);
    await readTool.execute({ file_path: 'big.txt' }, ctx);
    const started = performance.now();
    const r = await writeTool.execute({ file_path: 'big.txt', content: lines('new') }, ctx);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.display?.diff).toBeUndefined();
    expect(r.display?.summary).toBe('replaced the file: 20000 lines · 20,000 lines changed');
  });

  test('creates a new file and its folders, with a diff for people', async () => {
    const snapshots: string[] = [];
    const ctx = makeCtx(dir, { beforeWrite: async (p) => void snapshots.push(p) });
    const r = await writeTool.execute({ file_path: 'a/b/new.ts', content: 'one\ntwo\n' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toBe('Created a/b/new.ts (2 lines).');
    expect(await readFile(join(dir, 'a/b/new.ts'), 'utf8')).toBe('one\ntwo\n');
    expect(r.display?.diff).toContain('+one');
    expect(r.display?.summary).toBe('new file, 2 lines');
    expect(snapshots).toEqual([join(dir, 'a/b/new.ts')]);
    // The session now knows the file: a second Write needs no Read.
    const again = await writeTool.execute({ file_path: 'a/b/new.ts', content: 'three\n' }, ctx);
    expect(again.output).toBe('Wrote 1 line to a/b/new.ts.');
    expect(again.display?.summary).toBe('replaced the file: 1 line');
  });

  test('refuses to overwrite a file that was not read first', async () => {
    await files(dir, { 'keep.txt': 'precious\n' });
    const r = await writeTool.execute({ file_path: 'keep.txt', content: 'oops' }, makeCtx(dir));
    expect(r.isError).toBe(true);
    expect(r.output).toContain('Read it first');
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('precious\n');
  });

  test('refuses when the file changed on disk after it was read', async () => {
    await files(dir, { 'a.txt': 'v1\n' });
    const ctx = makeCtx(dir);
    await readTool.execute({ file_path: 'a.txt' }, ctx);
    await writeFile(join(dir, 'a.txt'), 'v2 from the user\n');
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'a.txt'), later, later);
    const r = await writeTool.execute({ file_path: 'a.txt', content: 'v3\n' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toContain('changed on disk');
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('v2 from the user\n');
  });

  test('overwrites after a read, keeps the file mode, leaves no temp files', async () => {
    await files(dir, { 'run.sh': '#!/bin/sh\necho hi\n' });
    await chmod(join(dir, 'run.sh'), 0o755);
    const ctx = makeCtx(dir);
    await readTool.execute({ file_path: 'run.sh' }, ctx);
    const r = await writeTool.execute({ file_path: join(dir, 'run.sh'), content: '#!/bin/sh\necho bye\n' }, ctx);
    expect(r.output).toBe('Wrote 2 lines to run.sh.');
    expect(r.display?.diff).toMatch(/-echo hi\n\+echo bye/);
    expect((await stat(join(dir, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readdir(dir)).toEqual(['run.sh']);
    expect(ctx.state.readFiles.get(join(dir, 'run.sh'))).toBe((await stat(join(dir, 'run.sh'))).mtimeMs);
  });

  test('writes through a symlink instead of replacing it', async () => {
    await files(dir, { 'real.txt': 'old\n' });
    await symlink(join(dir, 'real.txt'), join(dir, 'link.txt'));
    const ctx = makeCtx(dir);
    await readTool.execute({ file_path: 'link.txt' }, ctx);
    await writeTool.execute({ file_path: 'link.txt', content: 'new\n' }, ctx);
    expect(await readFile(join(dir, 'real.txt'), 'utf8')).toBe('new\n');
  });

  test('a folder is not a file', async () => {
    await files(dir, { 'd/x': '' });
    const r = await writeTool.execute({ file_path: 'd', content: 'x' }, makeCtx(dir));
    expect(r).toMatchObject({ isError: true });
  });
});
