import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { grepExecute, grepTool } from '../../tools/grep.ts';
import { findRipgrep } from '../../tools/grep-rg.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  await files(dir, {
    '.gitignore': 'dist/\n*.log\nnode_modules/\n',
    'src/a.ts': 'export const Foo = 1;\nconst bar = foo();\n',
    'src/b.js': '// foo here\nfunction Foo() {}\n',
    'src/sub/.gitignore': 'gen.ts\n',
    'src/sub/gen.ts': 'Foo generated\n',
    'src/sub/c.py': 'def foo():\n    pass\n',
    'dist/out.js': 'Foo\n',
    'debug.log': 'Foo\n',
    '.github/ci.yml': 'foo: bar\n',
    'ctx.txt': 'l1\nl2\nhit one\nl4\nl5\nl6\nl7\nhit two\nl9\n',
    'node_modules/lib/index.js': 'Foo in a dependency\n',
  });
  await writeFile(join(dir, 'blob.bin2'), Buffer.from('Foo\0\x01\x02'));
});
afterAll(() => cleanup());

type Args = Parameters<typeof grepExecute>[0];
/** The built-in TypeScript search (the engine used when rg is not installed). */
const builtin = async (args: Args) => (await grepExecute(args, makeCtx(dir), 'builtin')).output;

describe('Grep (built-in search)', () => {
  test('files_with_matches by default: .gitignore (nested too), binaries and .git are skipped', async () => {
    expect(await builtin({ pattern: 'Foo' })).toBe('src/a.ts\nsrc/b.js');
  });

  test('-i, hidden folders included', async () => {
    expect(await builtin({ pattern: 'foo', '-i': true })).toBe('.github/ci.yml\nsrc/a.ts\nsrc/b.js\nsrc/sub/c.py');
  });

  test('content mode: path:line:text, or path:text without -n', async () => {
    expect(await builtin({ pattern: 'Foo', output_mode: 'content' })).toBe('src/a.ts:1:export const Foo = 1;\nsrc/b.js:2:function Foo() {}');
    expect(await builtin({ pattern: 'Foo', output_mode: 'content', '-n': false, path: 'src/a.ts' })).toBe('src/a.ts:export const Foo = 1;');
  });

  test('context lines use - and groups are separated by --', async () => {
    expect(await builtin({ pattern: '^hit', output_mode: 'content', '-C': 1, path: 'ctx.txt' })).toBe(
      'ctx.txt-2-l2\nctx.txt:3:hit one\nctx.txt-4-l4\n--\nctx.txt-7-l7\nctx.txt:8:hit two\nctx.txt-9-l9',
    );
    expect(await builtin({ pattern: 'hit one', output_mode: 'content', '-A': 2, path: 'ctx.txt' })).toBe('ctx.txt:3:hit one\nctx.txt-4-l4\nctx.txt-5-l5');
  });

  test('count mode', async () => {
    expect(await builtin({ pattern: 'foo|Foo', output_mode: 'count', path: 'src' })).toBe('src/a.ts:2\nsrc/b.js:2\nsrc/sub/c.py:1');
  });

  test('glob and type filters', async () => {
    expect(await builtin({ pattern: 'Foo', glob: '*.ts' })).toBe('src/a.ts');
    expect(await builtin({ pattern: 'foo', type: 'py' })).toBe('src/sub/c.py');
    expect(await builtin({ pattern: 'foo', '-i': true, glob: '!*.{ts,js}' })).toBe('.github/ci.yml\nsrc/sub/c.py');
    const bad = await grepExecute({ pattern: 'x', type: 'cobol' }, makeCtx(dir), 'builtin');
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain('Known types:');
  });

  test('head_limit says how much was left out', async () => {
    const out = await builtin({ pattern: 'l\\d', output_mode: 'content', head_limit: 2 });
    expect(out).toBe('ctx.txt:1:l1\nctx.txt:2:l2\n\n(Showing the first 2 of 7 lines; raise head_limit or narrow the search.)');
  });

  test('multiline patterns span lines', async () => {
    expect(await builtin({ pattern: 'Foo = 1;\\nconst', multiline: true, output_mode: 'content' })).toBe('src/a.ts:1:export const Foo = 1;\nsrc/a.ts:2:const bar = foo();');
  });

  test('an ignored folder named explicitly is searched', async () => {
    expect(await builtin({ pattern: 'Foo', path: 'node_modules/lib' })).toBe('node_modules/lib/index.js');
    expect(await builtin({ pattern: 'Foo', path: 'dist' })).toBe('dist/out.js');
  });

  test('no matches, bad regex, missing path', async () => {
    expect(await builtin({ pattern: 'zzz_nothing' })).toBe('No matches found.');
    const bad = await grepExecute({ pattern: 'foo(' }, makeCtx(dir), 'builtin');
    expect(bad.isError).toBe(true);
    expect(bad.output).toContain('Invalid regular expression');
    expect((await grepExecute({ pattern: 'x', path: 'srcc' }, makeCtx(dir), 'builtin')).output).toContain('Did you mean: src');
  });

  test('title and target', () => {
    expect(grepTool.title({ pattern: 'TODO', path: 'src' })).toBe('Grep "TODO" in src');
    expect(grepTool.target!({ pattern: 'TODO' })).toBe('.');
  });
});

describe('Grep through ripgrep (when installed)', () => {
  test('gives the same output as the built-in search', async () => {
    const queries: Args[] = [
      { pattern: 'Foo' },
      { pattern: 'foo', '-i': true },
      { pattern: 'Foo', output_mode: 'content' },
      { pattern: '^hit', output_mode: 'content', '-C': 1, path: 'ctx.txt' },
      { pattern: 'foo|Foo', output_mode: 'count', path: 'src' },
      { pattern: 'Foo', glob: '*.ts' },
      { pattern: 'foo', type: 'py' },
      { pattern: 'foo', '-i': true, glob: '!*.{ts,js}' },
      { pattern: 'Foo', output_mode: 'content', '-n': false, path: 'src/a.ts' },
      { pattern: 'hit one', output_mode: 'content', '-A': 2, path: 'ctx.txt' },
      { pattern: 'Foo = 1;\\nconst', multiline: true, output_mode: 'content' },
      { pattern: 'Foo', path: 'node_modules/lib' },
      { pattern: 'Foo', path: 'dist' },
      { pattern: 'zzz_nothing' },
      { pattern: 'foo', glob: 'sub/*.py', path: 'src' },
      { pattern: 'Foo', glob: '*.zzz' },
    ];
    const rg = findRipgrep();
    if (rg) {
      for (const q of queries) expect((await grepExecute(q, makeCtx(dir))).output, JSON.stringify(q)).toBe(await builtin(q));
    } else {
      // rg is not on PATH here: the tool falls back to the built-in search.
      expect((await grepExecute(queries[0]!, makeCtx(dir))).output).toBe(await builtin(queries[0]!));
    }
  });
});
