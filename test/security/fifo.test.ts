// End to end: a model that asks the built `glm -p` to Read a FIFO in the project gets a refusal at once, and the
// run ends normally; before, the read blocked on the pipe until something killed glm.
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());

it('Read of a FIFO is refused and the run ends promptly', { timeout: 20_000 }, async () => {
  const sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
  const fifo = path.join(sb.repo, 'events.pipe');
  execFileSync('mkfifo', [fifo]);
  const seen: string[] = [];
  fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'events.pipe' } }]), (body: { messages: { content: string }[] }) => {
    seen.push(body.messages.at(-1)?.content ?? '');
    return text('That is a pipe; I left it alone.');
  });
  const run = runGlm(sb, ['-p', 'read events.pipe', '--output-format', 'json']);
  const timer = setTimeout(() => run.kill('SIGKILL'), 10_000);
  try {
    const r = await run;
    expect(r.isTerminated, 'glm hung on the FIFO and was killed').toBe(false);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout))).toMatchObject({ subtype: 'success', result: 'That is a pipe; I left it alone.' });
    expect(seen).toEqual(['events.pipe is a FIFO, not a regular file; glm does not read it.']);
  } finally {
    clearTimeout(timer);
    const fh = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
    await fh?.close();
  }
});
