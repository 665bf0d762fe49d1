// Resuming keeps the prompt cache: `--continue` sends the system prompt the session started with, so the whole
// earlier request is an unchanged prefix, and what changed since (git status) reaches the model in a short note.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { text, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

type Body = { messages: { role: string; content: string }[] };

describe('a resumed session', () => {
  it('repeats the previous request as a prefix and notes the changed git status with the next prompt', async () => {
    const sb = await makeSandbox({ 'a.txt': 'one\n' }, fake.url);
    fake.reply(text('first answer'), text('second answer'));
    expect((await runGlm(sb, ['-p', 'first'])).exitCode).toBe(0);
    await writeFile(path.join(sb.repo, 'a.txt'), 'changed\n');
    expect((await runGlm(sb, ['-p', '--continue', 'second'])).exitCode).toBe(0);
    const [before, after] = fake.requests as Body[];
    const sent = (b: Body) => b.messages.map((m) => `${m.role}:${m.content}`);
    expect(sent(after!).slice(0, before!.messages.length)).toEqual(sent(before!));
    expect(before!.messages[0]!.content).toContain('- Git: branch main, clean');
    const added = after!.messages.slice(before!.messages.length);
    expect(added.map((m) => m.role)).toEqual(['assistant', 'user', 'user']);
    expect(added[1]!.content).toBe('<system-reminder>\nSince this session started, the environment changed:\n- Git: branch main, 1 changed file\n</system-reminder>');
    expect(added[2]!.content).toBe('second');
  });
});
