// Issue 20, item 8: file names that are not valid UTF-8 (a Latin-1 `café.txt` is the bytes 63 61 66 E9). Read,
// Glob, LS and Grep show such a name escaped (`caf\xE9.txt`), and the escaped name works when passed back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../src/tool.ts';
import { editTool } from '../../tools/edit.ts';
import { globTool } from '../../tools/glob.ts';
import { grepExecute } from '../../tools/grep.ts';
import { lsTool } from '../../tools/ls.ts';
import { readTool } from '../../tools/read.ts';
import { makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: ToolContext;
/** The file's real name: bytes that are not UTF-8. */
let raw: Buffer;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  ctx = makeCtx(dir);
  raw = Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]);
  writeFileSync(raw, 'menu du jour\nsoupe\n');
  writeFileSync(join(dir, 'plain.txt'), 'menu\n');
});
afterEach(() => cleanup());

const ESCAPED = 'caf\\xE9.txt';

describe('file names that are not UTF-8', () => {
  it('LS, Glob and Grep show the name escaped', async () => {
    expect((await lsTool.execute({ path: '.' }, ctx)).output).toContain(ESCAPED);
    expect((await globTool.execute({ pattern: '*.txt' }, ctx)).output.split('\n')).toContain(ESCAPED);
    expect((await grepExecute({ pattern: 'soupe' }, ctx, 'builtin')).output).toBe(ESCAPED);
    expect((await grepExecute({ pattern: 'soupe', output_mode: 'content' }, ctx, 'builtin')).output).toBe(`${ESCAPED}:2:soupe`);
  });

  it('the escaped name can be read and edited', async () => {
    const read = await readTool.execute({ file_path: ESCAPED }, ctx);
    expect(read.isError ?? false).toBe(false);
    expect(read.output).toContain('soupe');
    const edit = await editTool.execute({ file_path: ESCAPED, old_string: 'soupe', new_string: 'salade' }, ctx);
    expect(edit.isError ?? false).toBe(false);
    expect(readFileSync(raw, 'utf8')).toBe('menu du jour\nsalade\n');
  });
});
