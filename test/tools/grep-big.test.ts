// Issue 20, item 8: the built-in Grep (used when rg is not installed) does not silently miss. A file over 20 MB
// used to be skipped without a word; now it is streamed, and what cannot be searched is named.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grepExecute } from '../../tools/grep.ts';
import { makeCtx, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const filler = 'an ordinary line of a generated data file, nothing to see here\n'.repeat(500_000); // ~32 MB
  await writeFile(join(dir, 'big.log.txt'), `${filler}the needle is here\n${filler.slice(0, 6500)}tail\n`);
  await writeFile(join(dir, 'small.txt'), 'no needle-word\n');
});
afterAll(() => cleanup());

const builtin = async (args: Parameters<typeof grepExecute>[0]) => (await grepExecute(args, makeCtx(dir), 'builtin')).output;

describe('built-in Grep on big files', () => {
  it('finds a match in a 30 MB file', async () => {
    expect(await builtin({ pattern: 'needle is' })).toBe('big.log.txt');
    expect(await builtin({ pattern: 'needle is', output_mode: 'content', '-B': 1 })).toBe(
      'big.log.txt-500000-an ordinary line of a generated data file, nothing to see here\nbig.log.txt:500001:the needle is here',
    );
    expect(await builtin({ pattern: 'needle', output_mode: 'count' })).toBe('big.log.txt:1\nsmall.txt:1');
  }, 60_000);

  it('names a big file a multiline search cannot read, and an unreadable file', async () => {
    const out = await builtin({ pattern: 'needle\\s+is', multiline: true });
    expect(out).toMatch(/No matches found\.\n\n\(Not searched: big\.log\.txt \(over 20 MB, which a multiline search does not read\)\.\)/);
    if (process.getuid?.() === 0) return; // root reads any file
    await writeFile(join(dir, 'locked.txt'), 'needle is\n');
    await chmod(join(dir, 'locked.txt'), 0);
    expect(await builtin({ pattern: 'nothing-matches-this' })).toMatch(/locked\.txt \(could not be read \(EACCES\)\)/);
  }, 60_000);
});
