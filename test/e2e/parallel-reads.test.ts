// End to end: the read-only built-ins (Read, Grep, Glob, LS) called together in one assistant message run at the
// same time in the built `glm -p`: every call starts before any result is in, and the results go back in the
// order the model made the calls. A Bash call after them waits for them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = { messages: { role: string; content: string; tool_call_id?: string }[] };

async function transcriptEvents(sb: Sandbox) {
  const dir = path.join(sb.home, '.local/share/glm-code/sessions');
  const [project] = await readdir(dir);
  const [file] = (await readdir(path.join(dir, project!))).filter((f) => f.endsWith('.jsonl'));
  return (await readFile(path.join(dir, project!, file!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).event).filter(Boolean);
}

describe('read-only calls of one message', () => {
  it('run together, and their results keep the order of the calls', async () => {
    const sb = await makeSandbox({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n', 'src/c.ts': 'export const gamma = 3;\n' }, fake.url);
    fake.reply(
      toolCalls([
        { name: 'Read', arguments: { file_path: 'a.txt' }, id: 'r1' },
        { name: 'Grep', arguments: { pattern: 'gamma' }, id: 'g1' },
        { name: 'Glob', arguments: { pattern: '**/*.txt' }, id: 'gl1' },
        { name: 'LS', arguments: { path: 'src' }, id: 'l1' },
        { name: 'Read', arguments: { file_path: 'b.txt' }, id: 'r2' },
        { name: 'Bash', arguments: { command: 'true' }, id: 'b1' },
      ]),
      (body: Body) => {
        const results = body.messages.filter((m) => m.role === 'tool');
        expect(results.map((m) => m.tool_call_id)).toEqual(['r1', 'g1', 'gl1', 'l1', 'r2', 'b1']);
        expect(results[0]!.content).toContain('alpha');
        expect(results[1]!.content).toContain('src/c.ts');
        expect(results[2]!.content.split('\n').sort()).toEqual(['a.txt', 'b.txt']);
        expect(results[3]!.content).toContain('c.ts');
        expect(results[4]!.content).toContain('beta');
        return text('Read them all.');
      },
    );
    const r = await runGlm(sb, ['-p', 'look at everything', '--allowedTools', 'Bash(true)']);
    expect(fake.violations).toEqual([]);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(r.stdout).toBe('Read them all.');
    const order = (await transcriptEvents(sb)).flatMap((e) => (e.type === 'tool_start' || e.type === 'tool_end' ? [`${e.type.slice(5)} ${e.callId}`] : []));
    // The five reads all started before the first of them ended; Bash (not read-only) ran after them.
    expect(order).toEqual(['start r1', 'start g1', 'start gl1', 'start l1', 'start r2', 'end r1', 'end g1', 'end gl1', 'end l1', 'end r2', 'start b1', 'end b1']);
  });
});
