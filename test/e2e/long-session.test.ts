// End to end: long sessions with the built binary against the fake GLM server, in a project whose settings
// shrink the context window to 16K tokens. Old tool outputs become stubs first; a conversation that still
// crosses 85% is compacted with prompts/compact.md; a resumed compacted session sends what it sent before.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm, type Step } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

const WINDOW = 16_000;
const COMPACT_PROMPT = readFileSync(path.resolve(import.meta.dirname, '../../prompts/compact.md'), 'utf8').replace('{{focus}}', '');
const SUMMARY = '## Goal\nSUMMARY-MARKER: answer the questions.';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = { messages: { role: string; content: string }[]; tools?: unknown[] };
const isCompaction = (body: Body) => body.messages.at(-1)?.content === COMPACT_PROMPT;
/** The request's size the way the fake server counts it (4 characters a token), tool schemas included. */
const requestTokens = (body: Body) => Math.ceil((JSON.stringify(body.messages) + JSON.stringify(body.tools ?? [])).length / 4);
const toolContents = (b: Body) => b.messages.filter((m) => m.role === 'tool').map((m) => m.content);
const isStub = (content: string) => content.startsWith('[Old tool output removed');
const withoutDate = (system: string) => system.replace(/^- Date: .*$/m, '');

async function transcriptEvents(sb: Sandbox) {
  const dir = path.join(sb.home, '.local/share/glm-code/sessions');
  const [project] = await readdir(dir);
  const files = (await readdir(path.join(dir, project))).filter((f) => f.endsWith('.jsonl'));
  expect(files).toHaveLength(1);
  return (await readFile(path.join(dir, project, files[0]), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
}

/** The user's settings set the small window (a project's contextWindow applies only once it is trusted). */
async function smallWindow(sb: Sandbox) {
  await mkdir(path.join(sb.home, '.config/glm-code'), { recursive: true });
  await writeFile(path.join(sb.home, '.config/glm-code/settings.json'), JSON.stringify({ contextWindow: WINDOW }));
}

describe('a long conversation', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'AGENTS.md': 'Project rule: MEMORY-RULE-7, run npm test before finishing.\n' }, fake.url);
    await smallWindow(sb);
  });

  it('is compacted with the compact prompt past 85%, keeps the instructions and memory, and resumes identically', async () => {
    let answers = 0;
    const reply: Step = (body: Body) => (isCompaction(body) ? text(SUMMARY) : text(`Answer ${++answers}: ${'lorem ipsum dolor sit amet '.repeat(450)}`));
    fake.reply(...Array<Step>(20).fill(reply));
    const first = 'ORIGINAL-INSTRUCTION: never edit files under vendor/, and keep answers short.';
    const results = [];
    // Prompt after prompt until the conversation has been compacted (the sixth or so crosses 85%).
    for (let n = 1; !fake.requests.some(isCompaction); n++) {
      expect(n).toBeLessThan(12);
      const r = await runGlm(sb, ['-p', n === 1 ? first : `question ${n}`, '--output-format', 'json', ...(n === 1 ? [] : ['--continue'])]);
      expect(r.exitCode, String(r.stderr)).toBe(0);
      results.push(JSON.parse(String(r.stdout)));
    }
    expect(fake.violations).toEqual([]);
    const compactions = fake.requests.flatMap((b: Body, i: number) => (isCompaction(b) ? [i] : []));
    expect(compactions).toHaveLength(1);
    const [at] = compactions;
    // The summarising request carries the conversation itself, the first prompt included.
    expect(fake.requests[at].messages.some((m: Body['messages'][number]) => m.role === 'user' && m.content === first)).toBe(true);
    expect(requestTokens(fake.requests[at - 1])).toBeLessThan(WINDOW);

    const next: Body = fake.requests[at + 1];
    expect(requestTokens(next)).toBeLessThan(WINDOW / 2);
    expect(next.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('MEMORY-RULE-7') });
    const summary = next.messages[1].content;
    expect(summary).toContain('SUMMARY-MARKER');
    expect(summary).toContain(first);
    // The headless result says how full the context is: every run sends one request but the compacting one.
    expect(results.map((r) => r.context_window)).toEqual(results.map(() => WINDOW));
    expect(results.at(-2).context_tokens).toBeGreaterThan(WINDOW * 0.7);
    expect(results.at(-1).context_tokens).toBeLessThan(WINDOW / 2);
    const events = (await transcriptEvents(sb)).map((l) => l.event).filter(Boolean);
    const compaction = events.find((e) => e.type === 'compaction');
    expect(compaction.beforeTokens).toBeGreaterThan(WINDOW * 0.85);
    expect(compaction.afterTokens).toBeLessThan(WINDOW / 2);
    expect(compaction.summary).toBe(SUMMARY);

    // The last request before exiting, and the first after --continue: the same messages, plus the answer and the new prompt.
    const before: Body = fake.requests.at(-1);
    const r = await runGlm(sb, ['-p', 'one more', '--continue', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    const resumed: Body = fake.requests.at(-1);
    expect(isCompaction(resumed)).toBe(false);
    expect(withoutDate(resumed.messages[0].content)).toBe(withoutDate(before.messages[0].content));
    expect(resumed.messages.slice(1, before.messages.length)).toEqual(before.messages.slice(1));
    expect(resumed.messages.slice(before.messages.length).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(resumed.messages.at(-1)?.content).toBe('one more');
  });

  it('stubs old tool outputs first, naming files that hold them in full, without summarising', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 8; i++) files[`big${i}.txt`] = Array.from({ length: 110 }, (_, n) => `file ${i} line ${n} ${'data '.repeat(11)}`).join('\n') + '\n';
    sb = await makeSandbox(files, fake.url);
    await smallWindow(sb);
    // Read one file after another until old outputs were stubbed, then answer.
    let read = 0;
    const step: Step = (body: Body) =>
      toolContents(body).some(isStub) || read === 8 ? text('Read enough.') : toolCalls([{ name: 'Read', arguments: { file_path: `big${++read}.txt` } }]);
    fake.reply(...Array<Step>(10).fill(step));
    const r = await runGlm(sb, ['-p', 'read big1.txt to big8.txt one by one', '--output-format', 'json']);
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(fake.requests.some(isCompaction)).toBe(false);
    expect(fake.violations).toEqual([]);

    const stubbedAt = fake.requests.findIndex((b: Body) => toolContents(b).some(isStub));
    expect(stubbedAt).toBeGreaterThan(0);
    const outputs = toolContents(fake.requests[stubbedAt - 1]);
    const now = toolContents(fake.requests[stubbedAt]);
    // The oldest outputs are stubs naming a file with the full text; the last three turns are untouched.
    const stubs = now.filter(isStub);
    expect(stubs.length).toBeGreaterThan(0);
    stubs.forEach((stub, i) => {
      expect(stub.split('\n')).toHaveLength(1);
      const file = /The full text is in (\S+);/.exec(stub)?.[1] ?? '';
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(outputs[i]);
    });
    expect(now.slice(-3, -1)).toEqual(outputs.slice(-2));
    expect(isStub(now.at(-1)!)).toBe(false);
    expect(requestTokens(fake.requests[stubbedAt])).toBeLessThan(requestTokens(fake.requests[stubbedAt - 1]));

    const events = (await transcriptEvents(sb)).map((l) => l.event).filter(Boolean);
    expect(events.find((e) => e.type === 'compaction')?.summary).toMatch(/old tool outputs? with one-line stubs/);

    // Resumed, the stubs are still there: the same messages as the last request, plus the answer and the prompt.
    const before: Body = fake.requests.at(-1);
    fake.reply(text('ok'));
    const again = await runGlm(sb, ['-p', 'thanks', '--continue']);
    expect(again.exitCode).toBe(0);
    expect(fake.requests.at(-1).messages.slice(1, before.messages.length)).toEqual(before.messages.slice(1));
  });
});
