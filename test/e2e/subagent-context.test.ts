// End to end: a subagent keeps its own context as the session does. With user settings that shrink the window
// to 16K tokens, a subagent that reads big file after big file is compacted (its own model summarises its older
// turns) instead of sending requests past the window, and still finishes with its answer as the Task result; the
// parent's conversation resumes unchanged.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm, type Step } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';

const WINDOW = 16_000;
const COMPACT_PROMPT = readFileSync(path.resolve(import.meta.dirname, '../../prompts/compact.md'), 'utf8').replace('{{focus}}', '');
const SUMMARY = '## Goal\nSUB-SUMMARY: files 1 to 3 read.';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = { messages: { role: string; content: string }[]; tools?: unknown[] };
const isCompaction = (body: Body) => body.messages.at(-1)?.content === COMPACT_PROMPT;
const isSubagent = (body: Body) => body.messages[0]!.content.startsWith('You are a subagent of glm');
/** The request's size the way the fake server counts it (4 characters a token), tool schemas included. */
const requestTokens = (body: Body) => Math.ceil((JSON.stringify(body.messages) + JSON.stringify(body.tools ?? [])).length / 4);

describe('a long subagent run', () => {
  it('is compacted inside the window and finishes with its answer', async () => {
    // Eight files of about 4,000 tokens each: three whole turns of them already fill most of the window.
    const files: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) files[`big${i}.txt`] = Array.from({ length: 200 }, (_, n) => `file ${i} line ${n} ${'data '.repeat(14)}`).join('\n') + '\n';
    const sb = await makeSandbox(files, fake.url);
    // The user's file: a project's contextWindow counts only once the project is trusted (it costs money).
    await mkdir(path.join(sb.home, '.config', 'glm-code'), { recursive: true });
    await writeFile(path.join(sb.home, '.config', 'glm-code', 'settings.json'), JSON.stringify({ contextWindow: WINDOW }));
    let read = 0;
    const step: Step = (body: Body) => {
      if (isCompaction(body)) return text(SUMMARY);
      if (!isSubagent(body)) return body.messages.some((m) => m.role === 'tool') ? text(`Parent saw: ${body.messages.at(-1)!.content.split('\n')[0]}`) : toolCalls([{ name: 'Task', arguments: { description: 'read all', prompt: 'Read big1.txt to big8.txt.', subagent_type: 'general-purpose' } }]);
      if (body.messages[1]!.content.includes('SUB-SUMMARY') || read === 8) return text('Subagent read them all.');
      return toolCalls([{ name: 'Read', arguments: { file_path: `big${++read}.txt` } }]);
    };
    fake.reply(...Array<Step>(20).fill(step));
    const r = await runGlm(sb, ['-p', 'read the big files', '--output-format', 'json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(fake.violations).toEqual([]);
    const result = JSON.parse(String(r.stdout));
    expect(result.result).toMatch(/^Parent saw: Subagent read them all\.$/);
    // The session's totals (modelUsage) count every request of the run, the subagent's summarising one included.
    const [totals] = Object.values(result.modelUsage) as { inputTokens: number; outputTokens: number }[];
    expect([totals!.inputTokens, totals!.outputTokens]).toEqual([result.usage.input_tokens, result.usage.output_tokens]);

    const requests: Body[] = fake.requests;
    const compactions = requests.flatMap((b, i) => (isCompaction(b) ? [i] : []));
    expect(compactions).toHaveLength(1);
    // The subagent's own conversation was summarised, by a request in its context (its system prompt)...
    expect(isSubagent(requests[compactions[0]!]!)).toBe(true);
    // ...before it read all eight: the next request starts from the summary and the Task prompt is carried over.
    expect(read).toBeLessThan(8);
    const after = requests[compactions[0]! + 1]!;
    expect(isSubagent(after)).toBe(true);
    expect(after.messages[1]!.content).toContain('SUB-SUMMARY');
    expect(after.messages[1]!.content).toContain('Read big1.txt to big8.txt.');
    // No request went past the window.
    for (const body of requests) expect(requestTokens(body)).toBeLessThan(WINDOW);

    // The subagent's compaction stays in its sidechain: --continue sends the parent's conversation as it was.
    const parentLast = requests.at(-1)!;
    fake.reply(text('Continued.'));
    const next = await runGlm(sb, ['-p', 'and now?', '--continue', '--output-format', 'json']);
    expect(next.exitCode).toBe(0);
    // The resumed session's totals go on from the first run's, the subagent's summarising request included.
    const [resumedTotals] = Object.values(JSON.parse(String(next.stdout)).modelUsage) as { inputTokens: number }[];
    expect(resumedTotals!.inputTokens).toBe(totals!.inputTokens + JSON.parse(String(next.stdout)).usage.input_tokens);
    const resent: Body = fake.requests.at(-1);
    expect(resent.messages.slice(1, parentLast.messages.length)).toEqual(parentLast.messages.slice(1));
    expect(resent.messages.slice(parentLast.messages.length).map((m) => m.role)).toEqual(['assistant', 'user']);
  });
});
