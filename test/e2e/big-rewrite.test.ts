// Issue 20, item 2: the display diff of a Write or Edit is bounded. A 20,000-line rewrite used to block the
// event loop for minutes while the diff was computed, so Ctrl+C waited; now glm answers SIGINT within a second
// and the display says how many lines changed instead of showing a diff nobody could read.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());

const lines = (word: string) => Array.from({ length: 20_000 }, (_, i) => `${word} line ${i}: ${(i * 7919) % 10007}`).join('\n') + '\n';

describe('a 20,000-line rewrite', () => {
  it('answers SIGINT within 1 s right after the write', async () => {
    const sb = await makeSandbox({ 'big.txt': lines('old') }, fake.url);
    fake.reply(
      toolCalls([{ name: 'Read', arguments: { file_path: 'big.txt' } }]),
      toolCalls([{ name: 'Write', arguments: { file_path: 'big.txt', content: lines('new') } }]),
      text('word '.repeat(400), { chunkSize: 5, delayMs: 20 }),
    );
    const child = runGlm(sb, ['-p', 'rewrite big.txt', '--permission-mode', 'acceptEdits', '--output-format', 'stream-json']);
    const file = path.join(sb.repo, 'big.txt');
    while (!(await readFile(file, 'utf8')).startsWith('new')) await new Promise((r) => setTimeout(r, 10));
    const sent = Date.now();
    child.kill('SIGINT');
    const r = await child;
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(r.exitCode).toBe(130);
  }, 60_000);
});
