// Grep (ripgrep and the built-in search), Glob and LS never show what a Read deny rule covers: not its content,
// not its name, also from a parent folder and through symlinks. The rules come in as ToolContext.readDenied,
// here a stand-in for Read(.env), Read(secrets/**) and Read(~/.ssh/**) that judges the path it is given.
import { mkdir, realpath, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { globTool } from '../../tools/glob.ts';
import { grepExecute } from '../../tools/grep.ts';
import { findRipgrep } from '../../tools/grep-rg.ts';
import { lsTool } from '../../tools/ls.ts';
import { readTool } from '../../tools/read.ts';
import { files, makeCtx, tempDir } from './helpers.ts';

let top: string;
let proj: string;
let cleanup: () => Promise<void>;
let readDenied: (abs: string) => boolean;

beforeAll(async () => {
  const t = await tempDir();
  cleanup = t.cleanup;
  top = await realpath(t.dir);
  proj = join(top, 'proj');
  await files(proj, {
    '.env': 'SECRET=hunter2\n',
    'secrets/key.pem': 'SECRET=abc\n',
    'secrets/nested/deep.txt': 'SECRET deep\n',
    'src/app.ts': 'const SECRET = process.env.SECRET;\n',
    'README.md': 'no secrets here\n',
  });
  await files(top, { 'home/.ssh/id_rsa': 'SECRET ssh key\n', 'home/notes.txt': 'SECRET? no\n' });
  await symlink('../.env', join(proj, 'src/env-link'));
  await symlink('secrets', join(proj, 'linkdir'));
  const home = join(top, 'home');
  readDenied = (abs) =>
    abs === join(proj, '.env') || abs.startsWith(join(proj, 'secrets') + sep) || abs.startsWith(join(home, '.ssh') + sep);
});
afterAll(() => cleanup());

const ctx = () => makeCtx(proj, { readDenied });
const engines = [['built-in', 'builtin'] as const, ...(findRipgrep() ? [['ripgrep', 'auto'] as const] : [])];

describe.each(engines)('Grep (%s) with deny rules', (_name, engine) => {
  const grep = async (args: Parameters<typeof grepExecute>[0]) => (await grepExecute(args, ctx(), engine)).output;

  test('denied files are neither listed nor searched, and the model is told how many were left out', async () => {
    expect(await grep({ pattern: 'SECRET' })).toBe('src/app.ts\n\n(3 paths hidden by deny rules)');
    expect(await grep({ pattern: 'SECRET', output_mode: 'content', '-C': 1 })).toBe('src/app.ts:1:const SECRET = process.env.SECRET;\n\n(3 paths hidden by deny rules)');
    expect(await grep({ pattern: 'SECRET', output_mode: 'count', '-n': false })).toBe('src/app.ts:1\n\n(3 paths hidden by deny rules)');
  });

  test('the note does not depend on content, so it cannot be used to guess a secret', async () => {
    expect(await grep({ pattern: 'hunter2' })).toBe('No matches found.\n\n(3 paths hidden by deny rules)');
    expect(await grep({ pattern: 'no-such-text' })).toBe('No matches found.\n\n(3 paths hidden by deny rules)');
  });

  test('from a parent folder, and in a home folder', async () => {
    const out = await grep({ pattern: 'SECRET', path: '..', output_mode: 'content' });
    expect(out).toBe(
      `${top}/home/notes.txt:1:SECRET? no\nsrc/app.ts:1:const SECRET = process.env.SECRET;\n\n(4 paths hidden by deny rules)`,
    );
    expect(await grep({ pattern: 'ssh', path: join(top, 'home') })).toBe('No matches found.\n\n(1 path hidden by deny rules)');
  });

  test('through symlinks: a link to a denied file, a linked folder of denied files', async () => {
    expect(await grep({ pattern: 'SECRET', path: 'src/env-link' })).toBe('No matches found.\n\n(1 path hidden by deny rules)');
    expect(await grep({ pattern: 'SECRET', path: 'linkdir', output_mode: 'content' })).toBe('No matches found.\n\n(2 paths hidden by deny rules)');
  });

  test('denied files are not even opened (seen in their access time, where the file system keeps one)', async () => {
    const t = await tempDir();
    try {
      await files(t.dir, { 'secret.txt': 'SECRET\n', 'open.txt': 'SECRET\n' });
      const old = new Date(0);
      for (const f of ['secret.txt', 'open.txt']) await utimes(join(t.dir, f), old, new Date());
      const denied = (abs: string) => abs.endsWith(`${sep}secret.txt`);
      const r = await grepExecute({ pattern: 'SECRET' }, makeCtx(t.dir, { readDenied: denied }), engine);
      expect(r.output).toBe('open.txt\n\n(1 path hidden by deny rules)');
      const readAt = async (f: string) => (await stat(join(t.dir, f))).atimeMs;
      if ((await readAt('open.txt')) > 0) expect(await readAt('secret.txt')).toBe(0); // reading sets it (relatime)
    } finally {
      await t.cleanup();
    }
  });

  test('names holding : and - are told apart from line numbers, denied or not', async () => {
    const t = await tempDir();
    try {
      await files(t.dir, { 'a:1:b-2-c.txt': 'x\nSECRET\ny\n', 'k:3:SECRET-4-z.txt': 'SECRET\n' });
      const denied = (abs: string) => abs.endsWith(`${sep}k:3:SECRET-4-z.txt`);
      const r = await grepExecute({ pattern: 'SECRET', output_mode: 'content', '-C': 1 }, makeCtx(t.dir, { readDenied: denied }), engine);
      expect(r.output).toBe('a:1:b-2-c.txt-1-x\na:1:b-2-c.txt:2:SECRET\na:1:b-2-c.txt-3-y\n\n(1 path hidden by deny rules)');
    } finally {
      await t.cleanup();
    }
  });

  test('glob and type filters count only the files they would search', async () => {
    expect(await grep({ pattern: 'SECRET', glob: '*.pem' })).toBe('No matches found.\n\n(1 path hidden by deny rules)');
    expect(await grep({ pattern: 'SECRET', type: 'ts' })).toBe('src/app.ts');
  });
});

describe('Grep through ripgrep', () => {
  test.runIf(findRipgrep())('drops denied files from rg output even past the number it is told to skip', async () => {
    const t = await tempDir();
    try {
      await mkdir(join(t.dir, 'secrets'));
      for (let i = 0; i < 1005; i++) await writeFile(join(t.dir, 'secrets', `k${i}.txt`), 'SECRET\n');
      await files(t.dir, { 'ok.txt': 'SECRET\n' });
      const denied = (abs: string) => abs.includes(`${sep}secrets${sep}`);
      const r = await grepExecute({ pattern: 'SECRET', output_mode: 'content' }, makeCtx(t.dir, { readDenied: denied }));
      expect(r.output).toBe('ok.txt:1:SECRET\n\n(1005 paths hidden by deny rules)');
    } finally {
      await t.cleanup();
    }
  });
});

describe('Glob and LS with deny rules', () => {
  test('Glob leaves denied names out, also from a parent folder and through a linked folder', async () => {
    const glob = async (pattern: string, path?: string) => (await globTool.execute({ pattern, path }, ctx())).output;
    expect((await glob('**/*')).split('\n').sort()).toEqual(['', '(3 paths hidden by deny rules)', 'README.md', 'src/app.ts']);
    expect(await glob('**/*.pem')).toBe('No files found.\n\n(1 path hidden by deny rules)');
    expect(await glob('**/*.pem', '..')).toBe('No files found.\n\n(1 path hidden by deny rules)');
    expect(await glob('*', 'linkdir')).toBe('No files found.\n\n(1 path hidden by deny rules)');
    expect(await glob('**/id_rsa', join(top, 'home'))).toBe('No files found.\n\n(1 path hidden by deny rules)');
  });

  test('LS leaves denied names out, symlinks to them too, and counts only what it would have shown', async () => {
    const ls = async (path: string) => (await lsTool.execute({ path }, ctx())).output;
    expect(await ls('.')).toBe('./\n  secrets/\n  src/\n    app.ts\n  README.md\n  linkdir\n\n(4 paths hidden by deny rules)');
    expect(await ls('linkdir')).toBe('linkdir/ is empty.\n\n(2 paths hidden by deny rules)');
    expect(await ls(join(top, 'home'))).toBe(`${top}/home/\n  .ssh/\n  notes.txt\n\n(1 path hidden by deny rules)`);
  });

  test('"did you mean" never names a denied path', async () => {
    const r = await readTool.execute({ file_path: 'secrets/key.pen' }, ctx());
    expect(r.output).toBe('File not found: secrets/key.pen. Use Glob or LS to find the right path.');
    expect((await readTool.execute({ file_path: '.envv' }, ctx())).output).toBe('File not found: .envv. Use Glob or LS to find the right path.');
    expect((await readTool.execute({ file_path: '.envv' }, makeCtx(proj))).output).toBe('File not found: .envv. Did you mean: .env?');
    expect((await readTool.execute({ file_path: 'secrets/key.pen' }, makeCtx(proj))).output).toContain('Did you mean: secrets/key.pem');
  });

  test('without a predicate nothing is hidden and no note is added', async () => {
    const out = (await lsTool.execute({ path: 'secrets' }, makeCtx(proj))).output;
    expect(out).toBe('secrets/\n  nested/\n    deep.txt\n  key.pem');
  });
});
