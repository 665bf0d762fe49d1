// Issue 20, item 1: Edit and Write keep every byte they do not change. A Latin-1 file edited on one line used to
// come back with every non-ASCII byte replaced by U+FFFD; UTF-16 files read as binary. Round trips through Read
// and Edit for Latin-1, UTF-8 with a BOM, UTF-16 LE/BE with a BOM, CRLF line endings and a missing final newline.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolContext } from '../../src/tool.ts';
import { editTool } from '../../tools/edit.ts';
import { readTool } from '../../tools/read.ts';
import { writeTool } from '../../tools/write.ts';
import { makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let ctx: ToolContext;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  ctx = makeCtx(dir);
});
afterEach(() => cleanup());

const bytesOf = (name: string) => readFile(join(dir, name));
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

async function readAndEdit(name: string, bytes: Buffer, oldString: string, newString: string) {
  await writeFile(join(dir, name), bytes);
  const read = await readTool.execute({ file_path: name }, ctx);
  const edit = await editTool.execute({ file_path: name, old_string: oldString, new_string: newString }, ctx);
  return { read: read.output, edit };
}

describe('Edit keeps the encoding and line endings of the file', () => {
  it('Latin-1: shows the text, changes one line, keeps every other byte', async () => {
    const before = Buffer.from('café\nnaïve\nline3\n', 'latin1');
    const { read, edit } = await readAndEdit('l1.txt', before, 'line3', 'line three');
    expect(read).toContain('café');
    expect(read).toContain('naïve');
    expect(edit.isError ?? false).toBe(false);
    expect(await bytesOf('l1.txt')).toEqual(Buffer.from('café\nnaïve\nline three\n', 'latin1'));
  });

  it('Latin-1: refuses characters the file cannot hold, and writes nothing', async () => {
    const before = Buffer.from('prix: 5\n', 'latin1');
    const { edit } = await readAndEdit('price.txt', Buffer.concat([Buffer.from([0xe9, 0x0a]), before]), 'prix: 5', 'prix: 5 €');
    expect(edit.isError).toBe(true);
    expect(edit.output).toMatch(/Latin-1 \(8-bit\) file.*€.*nothing was written/);
    expect(await bytesOf('price.txt')).toEqual(Buffer.concat([Buffer.from([0xe9, 0x0a]), before]));
  });

  it('UTF-8 with a BOM keeps its BOM', async () => {
    const { edit } = await readAndEdit('bom.txt', Buffer.from('\uFEFFhé\nbye\n', 'utf8'), 'bye', 'ciao');
    expect(edit.isError ?? false).toBe(false);
    expect(await bytesOf('bom.txt')).toEqual(Buffer.from('\uFEFFhé\nciao\n', 'utf8'));
  });

  it('UTF-16 LE with a BOM and CRLF: read as text, written back as UTF-16 LE with CRLF', async () => {
    const { read, edit } = await readAndEdit('le.txt', Buffer.from('\uFEFFone\r\ntwo é\r\nthree\r\n', 'utf16le'), 'two é', 'two é\nand a half');
    expect(read).toContain('two é');
    expect(edit.isError ?? false).toBe(false);
    expect(await bytesOf('le.txt')).toEqual(Buffer.from('\uFEFFone\r\ntwo é\r\nand a half\r\nthree\r\n', 'utf16le'));
  });

  it('UTF-16 BE with a BOM', async () => {
    const { read, edit } = await readAndEdit('be.txt', utf16be('\uFEFFalpha\nbeta ü\n'), 'alpha', 'ALPHA');
    expect(read).toContain('beta ü');
    expect(edit.isError ?? false).toBe(false);
    expect(await bytesOf('be.txt')).toEqual(utf16be('\uFEFFALPHA\nbeta ü\n'));
  });

  it('CRLF without a final newline stays CRLF without one', async () => {
    const { edit } = await readAndEdit('crlf.txt', Buffer.from('a\r\nb\r\nc', 'utf8'), 'b', 'b1\nb2');
    expect(edit.isError ?? false).toBe(false);
    expect((await bytesOf('crlf.txt')).toString('utf8')).toBe('a\r\nb1\r\nb2\r\nc');
  });

  it('Write keeps an existing Latin-1 file Latin-1, and says so when it has to become UTF-8', async () => {
    await writeFile(join(dir, 'w.txt'), Buffer.from('vieux café\n', 'latin1'));
    await readTool.execute({ file_path: 'w.txt' }, ctx);
    expect((await writeTool.execute({ file_path: 'w.txt', content: 'nouveau café\n' }, ctx)).isError ?? false).toBe(false);
    expect(await bytesOf('w.txt')).toEqual(Buffer.from('nouveau café\n', 'latin1'));
    const r = await writeTool.execute({ file_path: 'w.txt', content: 'café 5 €\n' }, ctx);
    expect(r.output).toMatch(/now UTF-8/);
    expect((await bytesOf('w.txt')).toString('utf8')).toBe('café 5 €\n');
  });
});
