import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, test } from 'vitest';
import { GLOB_MAX_RESULTS, globReach, globTool } from '../../tools/glob.ts';
import { LS_MAX_ENTRIES, lsTool } from '../../tools/ls.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function age(rel: string, secondsAgo: number) {
  const t = new Date(Date.now() - secondsAgo * 1000);
  await utimes(join(dir, rel), t, t);
}

describe('Glob', () => {
  test('newest first, .gitignore honoured, node_modules and .git skipped', async () => {
    await files(dir, {
      '.gitignore': 'build/\n',
      'src/old.ts': '',
      'src/new.ts': '',
      'src/deep/mid.ts': '',
      'build/gen.ts': '',
      'node_modules/x/index.ts': '',
      '.git/hooks/h.ts': '',
      '.config/tool.ts': '',
    });
    await age('src/old.ts', 300);
    await age('src/deep/mid.ts', 200);
    await age('.config/tool.ts', 250);
    await age('src/new.ts', 100);
    const r = await globTool.execute({ pattern: '**/*.ts' }, makeCtx(dir));
    expect(r.output).toBe('src/new.ts\nsrc/deep/mid.ts\n.config/tool.ts\nsrc/old.ts');
  });

  test('searches below path; paths stay relative to cwd', async () => {
    await files(dir, { 'a/x.md': '', 'b/y.md': '' });
    expect((await globTool.execute({ pattern: '*.md', path: 'a' }, makeCtx(dir))).output).toBe('a/x.md');
  });

  test('caps the list with a note', async () => {
    await files(dir, Object.fromEntries(Array.from({ length: GLOB_MAX_RESULTS + 5 }, (_, i) => [`f${i}.txt`, ''])));
    const r = await globTool.execute({ pattern: '*.txt' }, makeCtx(dir));
    expect(r.output.split('\n').filter((l) => l.endsWith('.txt'))).toHaveLength(GLOB_MAX_RESULTS);
    expect(r.output).toContain(`Showing the ${GLOB_MAX_RESULTS} newest of ${GLOB_MAX_RESULTS + 5} files`);
  });

  test('no files, missing folder', async () => {
    expect((await globTool.execute({ pattern: '*.zz' }, makeCtx(dir))).output).toBe('No files found.');
    expect((await globTool.execute({ pattern: '*', path: 'nope' }, makeCtx(dir))).isError).toBe(true);
  });
});

describe('LS', () => {
  test('a compact tree: folders first with a trailing /, ignored and heavy folders skipped', async () => {
    await files(dir, {
      '.gitignore': '*.log\n',
      'README.md': '',
      'debug.log': '',
      'src/index.ts': '',
      'src/lib/util.ts': '',
      'node_modules/x/y.js': '',
      '.git/HEAD': '',
    });
    const r = await lsTool.execute({ path: '.' }, makeCtx(dir));
    expect(r.output).toBe(['./', '  src/', '    lib/', '      util.ts', '    index.ts', '  .gitignore', '  README.md'].join('\n'));
    expect(r.display?.summary).toBe('6 entries');
  });

  test('ignore patterns and a subfolder path', async () => {
    await files(dir, { 'src/a.ts': '', 'src/a.test.ts': '', 'src/snap/s.txt': '' });
    const r = await lsTool.execute({ path: join(dir, 'src'), ignore: ['*.test.ts', 'snap'] }, makeCtx(dir));
    expect(r.output).toBe('src/\n  a.ts');
  });

  test('big trees are cut breadth first with a note', async () => {
    const tree: Record<string, string> = { 'top.txt': '' };
    for (let i = 0; i < LS_MAX_ENTRIES + 50; i++) tree[`big/f${String(i).padStart(3, '0')}.txt`] = '';
    tree['small/one.txt'] = '';
    await files(dir, tree);
    const r = await lsTool.execute({ path: '.' }, makeCtx(dir));
    expect(r.output).toContain('  big/ …');
    expect(r.output).toContain('  small/\n    one.txt');
    expect(r.output).toContain('folders marked … were not expanded');
  });

  test('files and missing paths are errors that say what to do', async () => {
    await files(dir, { 'a.txt': '' });
    expect((await lsTool.execute({ path: 'a.txt' }, makeCtx(dir))).output).toContain('Use Read');
    expect((await lsTool.execute({ path: 'missing' }, makeCtx(dir))).isError).toBe(true);
  });
});

describe('globReach: the folder a Glob pattern can reach, which permissions judge', () => {
  it.each([
    ['.', '**/*.ts', '.'],
    ['src', 'lib/**/*.ts', 'src/lib'],
    ['.', '../*', '..'],
    ['.', '../../other/**', '../../other'],
    ['.', '/etc/pass*', '/etc'],
    ['.', '/*', '/'],
    ['.', '**/../../x', '/'],
    ['.', 'a/b/c.txt', 'a/b'],
  ])('in %j, %j reaches %j', (base, pattern, reach) => {
    expect(globReach(base, pattern)).toBe(reach);
  });
});

test('a pattern that climbs out through a brace or extglob reaches the root', () => {
  expect(globReach('.', '..{,}/**/*.txt')).toBe('/');
  expect(globReach('.', '@(..)/*')).toBe('/');
});
