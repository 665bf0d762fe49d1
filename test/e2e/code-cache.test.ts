// bin/glm.js runs headless commands from dist/glm.cjs with a V8 code cache it writes after a successful run
// (speed: bench/core.mjs). What a user can see of it: the runs answer the same with or without a cache, a
// broken or foreign cache file is replaced rather than trusted, and a failed run writes none.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The code cache files of the script, under the sandbox's own compile cache folder. */
async function cacheFiles(cacheRoot: string): Promise<string[]> {
  const names = await readdir(cacheRoot, { recursive: true }).catch(() => [] as string[]);
  return names.filter((n) => n.includes('glm-code') && n.endsWith('.bin')).map((n) => path.join(cacheRoot, n));
}

describe('the code cache of glm -p', () => {
  let sb: Sandbox;
  let env: Record<string, string>;
  beforeEach(async () => {
    sb = await makeSandbox({}, fake.url);
    env = { NODE_COMPILE_CACHE: path.join(sb.home, 'compile-cache') };
  });

  it('is written after the first successful run and used by the next, with the same answer', async () => {
    fake.reply(text('first answer'), text('second answer'));
    const first = await runGlm(sb, ['-p', 'hi'], { env });
    expect([first.exitCode, first.stdout]).toEqual([0, 'first answer']);
    const [file] = await cacheFiles(env.NODE_COMPILE_CACHE);
    expect(path.basename(file)).toMatch(/glm\.cjs-print\.bin$/);
    const written = await readFile(file);

    const second = await runGlm(sb, ['-p', 'hi'], { env });
    expect([second.exitCode, second.stdout]).toEqual([0, 'second answer']);
    expect((await readFile(file)).equals(written)).toBe(true);
  });

  it('replaces a damaged cache instead of failing', async () => {
    fake.reply(text('one'), text('two'), text('three'));
    await runGlm(sb, ['-p', 'hi'], { env });
    const [file] = await cacheFiles(env.NODE_COMPILE_CACHE);
    const good = await readFile(file);
    const header = good.subarray(0, good.indexOf('\n') + 1);
    await writeFile(file, Buffer.concat([header, Buffer.from('not a V8 code cache')]));

    const run = await runGlm(sb, ['-p', 'hi'], { env });
    expect([run.exitCode, run.stdout]).toEqual([0, 'two']);
    expect((await readFile(file)).length).toBeGreaterThan(header.length + 1000);

    await writeFile(file, Buffer.concat([Buffer.from('0123456789abcdef\n'), good.subarray(header.length)]));
    const other = await runGlm(sb, ['-p', 'hi'], { env });
    expect([other.exitCode, other.stdout]).toEqual([0, 'three']);
    expect((await readFile(file)).subarray(0, header.length).equals(header)).toBe(true);
  });

  it('writes nothing after a failed run, or a -p run that asked only for help', async () => {
    const run = await runGlm(sb, ['-p', 'hi', '--output-format', 'yaml'], { env });
    expect(run.exitCode).toBe(2);
    const help = await runGlm(sb, ['-p', '--help'], { env });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: glm');
    expect(await cacheFiles(env.NODE_COMPILE_CACHE)).toEqual([]);
  });
});
