import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { editTool } from '../../tools/edit.ts';
import { multiEditTool } from '../../tools/multi-edit.ts';
import { readTool } from '../../tools/read.ts';
import { files, makeCtx, tempDir } from './helpers.ts';
import type { ToolContext } from '../../src/tool.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Writes a file and reads it through the tool, as the model would before editing. */
async function given(name: string, content: string, ctx?: ToolContext): Promise<ToolContext> {
  await files(dir, { [name]: content });
  const c = ctx ?? makeCtx(dir);
  await readTool.execute({ file_path: name }, c);
  return c;
}
const content = (name: string) => readFile(join(dir, name), 'utf8');

describe('Edit', () => {
  test('replaces one exact match; short output with numbered context, diff for people', async () => {
    const ctx = await given('a.ts', 'one\ntwo\nthree\nfour\nfive\nsix\n');
    const r = await editTool.execute({ file_path: 'a.ts', old_string: 'three', new_string: 'THREE\nTHREE-B' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(await content('a.ts')).toBe('one\ntwo\nTHREE\nTHREE-B\nfour\nfive\nsix\n');
    expect(r.output.split('\n')[0]).toBe('Edited a.ts: 1 replacement (lines 3–4).');
    expect(r.output).toContain('     2\ttwo\n     3\tTHREE\n     4\tTHREE-B\n     5\tfour');
    expect(r.display?.diff).toContain('-three\n+THREE\n+THREE-B');
    expect(r.display?.summary).toBe('1 replacement (lines 3–4)');
    // The edit counts as a fresh read: a second edit goes through.
    const r2 = await editTool.execute({ file_path: 'a.ts', old_string: 'six', new_string: '6' }, ctx);
    expect(r2.output).toContain('1 replacement (line 7)');
  });

  test('must read first, and refuses files changed since', async () => {
    await files(dir, { 'a.ts': 'x = 1\n' });
    const r = await editTool.execute({ file_path: 'a.ts', old_string: 'x', new_string: 'y' }, makeCtx(dir));
    expect(r).toMatchObject({ isError: true });
    expect(r.output).toContain('Read it first');
  });

  test('several matches without replace_all: error naming the lines; replace_all changes all', async () => {
    const ctx = await given('a.ts', 'foo()\nbar()\nfoo()\n');
    const r = await editTool.execute({ file_path: 'a.ts', old_string: 'foo()', new_string: 'baz()' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toContain('matches 2 places');
    expect(r.output).toContain('lines 1, 3');
    expect(await content('a.ts')).toBe('foo()\nbar()\nfoo()\n');
    const all = await editTool.execute({ file_path: 'a.ts', old_string: 'foo()', new_string: 'baz()', replace_all: true }, ctx);
    expect(all.output).toContain('2 replacements');
    expect(await content('a.ts')).toBe('baz()\nbar()\nbaz()\n');
  });

  test('no match: names the closest lines and the first difference', async () => {
    const ctx = await given('a.ts', 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n');
    const r = await editTool.execute({ file_path: 'a.ts', old_string: 'function sub(a, b) {\n  return a + b;\n}', new_string: 'x' }, ctx);
    expect(r.isError).toBe(true);
    expect(r.output).toContain('old_string was not found in a.ts');
    expect(r.output).toMatch(/closest text is at lines 5–7/);
    expect(r.output).toContain('First difference at line 6');
  });

  test('identical strings and empty old_string on a non-empty file are errors', async () => {
    const ctx = await given('a.ts', 'x\n');
    expect((await editTool.execute({ file_path: 'a.ts', old_string: 'x', new_string: 'x' }, ctx)).output).toContain('identical');
    expect((await editTool.execute({ file_path: 'a.ts', old_string: '', new_string: 'y' }, ctx)).output).toContain('already has content');
  });

  test('empty old_string creates a missing file; a missing file otherwise gets suggestions', async () => {
    const ctx = makeCtx(dir);
    const r = await editTool.execute({ file_path: 'src/new.ts', old_string: '', new_string: 'export {};\n' }, ctx);
    expect(r.output).toBe('Created src/new.ts (1 line).');
    expect(await content('src/new.ts')).toBe('export {};\n');
    const miss = await editTool.execute({ file_path: 'src/neww.ts', old_string: 'a', new_string: 'b' }, ctx);
    expect(miss.output).toContain('Did you mean: src/new.ts');
  });

  test('CRLF files stay CRLF when the model sends LF', async () => {
    const ctx = await given('w.txt', 'alpha\r\nbeta\r\ngamma\r\n');
    const r = await editTool.execute({ file_path: 'w.txt', old_string: 'alpha\nbeta', new_string: 'alpha\nBETA\nextra' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(await content('w.txt')).toBe('alpha\r\nBETA\r\nextra\r\ngamma\r\n');
  });

  test('indentation-flexible match re-indents new_string and tells the model', async () => {
    const file = 'class A {\n  run() {\n    if (x) {\n      go();\n    }\n  }\n}\n';
    const ctx = await given('a.ts', file);
    const r = await editTool.execute({ file_path: 'a.ts', old_string: 'if (x) {\n  go();\n}', new_string: 'if (x) {\n  go();\n  stop();\n}' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain('re-indented new_string');
    expect(await content('a.ts')).toBe('class A {\n  run() {\n    if (x) {\n      go();\n      stop();\n    }\n  }\n}\n');
  });

  test('a different indent width (4 from the model, 2 in the file) is mapped line by line', async () => {
    const ctx = await given('a.js', 'function sub(a, b) {\n  if (a) {\n    return a - b;\n  }\n}\n');
    const r = await editTool.execute(
      { file_path: 'a.js', old_string: 'function sub(a, b) {\n    if (a) {\n        return a - b;\n    }\n}', new_string: 'function sub(a, b) {\n    if (a) {\n        log(a);\n        return b - a;\n    }\n}' },
      ctx,
    );
    expect(r.isError).toBeFalsy();
    expect(await content('a.js')).toBe('function sub(a, b) {\n  if (a) {\n    log(a);\n    return b - a;\n  }\n}\n');
  });

  test('model indented more than the file: new_string is shifted left', async () => {
    const ctx = await given('a.py', 'x = 1\ny = 2\n');
    await editTool.execute({ file_path: 'a.py', old_string: '    x = 1\n    y = 2', new_string: '    x = 1\n    if x:\n        y = 3' }, ctx);
    expect(await content('a.py')).toBe('x = 1\nif x:\n    y = 3\n');
  });

  test('tabs in the file, spaces from the model', async () => {
    const ctx = await given('m.go', 'func f() {\n\tif ok {\n\t\treturn\n\t}\n}\n');
    const r = await editTool.execute({ file_path: 'm.go', old_string: '    if ok {\n        return\n    }', new_string: '    if ok {\n        log()\n        return\n    }' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(await content('m.go')).toBe('func f() {\n\tif ok {\n\t\tlog()\n\t\treturn\n\t}\n}\n');
  });

  test('smart quotes, dashes and odd spaces in the file still match', async () => {
    const ctx = await given('doc.md', 'He said \u201Chello\u201D \u2014 it\u2019s\u00A0fine.\n');
    const r = await editTool.execute({ file_path: 'doc.md', old_string: `He said "hello" - it's fine.`, new_string: 'Hi.' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain('normalising quotes');
    expect(await content('doc.md')).toBe('Hi.\n');
  });

  test('trailing whitespace in the file is tolerated', async () => {
    const ctx = await given('a.py', 'def f():   \n    return 1\n');
    const r = await editTool.execute({ file_path: 'a.py', old_string: 'def f():\n    return 1', new_string: 'def f():\n    return 2' }, ctx);
    expect(r.output).toContain('trailing whitespace');
    expect(await content('a.py')).toBe('def f():\n    return 2\n');
  });

  test('line-number prefixes copied from Read are dropped', async () => {
    const ctx = await given('a.ts', 'let a = 1;\nlet b = 2;\n');
    const r = await editTool.execute({ file_path: 'a.ts', old_string: '     2\tlet b = 2;', new_string: '     2\tlet b = 3;' }, ctx);
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain('line-number prefixes');
    expect(await content('a.ts')).toBe('let a = 1;\nlet b = 3;\n');
  });

  test('keeps the mode and calls beforeWrite', async () => {
    const seen: string[] = [];
    const ctx = await given('x.sh', 'echo a\n', makeCtx(dir, { beforeWrite: async (p) => void seen.push(p) }));
    const { chmod } = await import('node:fs/promises');
    await chmod(join(dir, 'x.sh'), 0o750);
    ctx.state.readFiles.set(join(dir, 'x.sh'), (await stat(join(dir, 'x.sh'))).mtimeMs);
    await editTool.execute({ file_path: 'x.sh', old_string: 'a', new_string: 'b' }, ctx);
    expect((await stat(join(dir, 'x.sh'))).mode & 0o777).toBe(0o750);
    expect(seen).toEqual([join(dir, 'x.sh')]);
  });
});

describe('MultiEdit', () => {
  test('applies edits in order, each to the result of the previous', async () => {
    const ctx = await given('a.ts', 'let a = 1;\nlet b = 2;\nlet c = 3;\n');
    const r = await multiEditTool.execute(
      {
        file_path: 'a.ts',
        edits: [
          { old_string: 'let a = 1;', new_string: 'let a = 10;' },
          { old_string: 'a = 10', new_string: 'a = 100' },
          { old_string: 'let', new_string: 'const', replace_all: true },
        ],
      },
      ctx,
    );
    expect(r.isError).toBeFalsy();
    expect(r.output).toContain('3 edits, 5 replacements');
    expect(await content('a.ts')).toBe('const a = 100;\nconst b = 2;\nconst c = 3;\n');
  });

  test('all or nothing: a failing edit leaves the file untouched and says which one failed', async () => {
    const ctx = await given('a.ts', 'one\ntwo\n');
    const r = await multiEditTool.execute(
      { file_path: 'a.ts', edits: [{ old_string: 'one', new_string: '1' }, { old_string: 'three', new_string: '3' }] },
      ctx,
    );
    expect(r.isError).toBe(true);
    expect(r.output).toMatch(/^Edit 2 of 2: old_string was not found/);
    expect(r.output).toContain('No edits were applied');
    expect(await content('a.ts')).toBe('one\ntwo\n');
  });

  test('title counts the edits', () => {
    expect(multiEditTool.title({ file_path: 'a.ts', edits: [{ old_string: 'a', new_string: 'b' }] })).toBe('MultiEdit a.ts (1 edit)');
  });
});
