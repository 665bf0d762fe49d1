// A live Session against the fake GLM server (real socket): a window overflow triggers one compaction and a
// retry, /compact [focus] compacts on demand, and a resumed session gets back its prompts and todo list.
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createModelClientFromConfig } from '../../src/model/client.ts';
import { Session } from '../../src/session.ts';
import type { AgentEvent } from '../../src/types.ts';
import { builtinTools, toolSet } from '../../tools/index.ts';
import { error, finish, startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';

const COMPACT_START = 'The conversation has grown too long for your context window.';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Body = { messages: { role: string; content: string }[] };
const isCompaction = (body: Body) => body.messages.at(-1)?.content.startsWith(COMPACT_START) ?? false;

async function openSession(resume?: string, root?: string) {
  root ??= await mkdtemp(path.join(os.tmpdir(), 'glm-ctx-'));
  const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'cfg'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.url };
  const config = loadConfig({}, env, root);
  const session = await Session.open({ config, client: createModelClientFromConfig(config), tools: toolSet(builtinTools), resume, context: { window: 64_000 } });
  const events: AgentEvent[] = [];
  session.subscribe((e) => events.push(e));
  return { root, session, events };
}

/** Three prompts with long answers: something old enough to compact. */
async function chat(session: Session) {
  for (let i = 1; i <= 3; i++) {
    fake.reply(text(`Answer ${i}: ${'words '.repeat(600)}`));
    await session.run(`question ${i}`);
  }
}

describe('context window overflow', () => {
  it('compacts once and sends the request again when the server says the context is too long', async () => {
    const { session, events } = await openSession();
    await chat(session);
    fake.reply(
      error(400, { error: { code: '1261', message: 'Prompt exceeds max length' } }),
      (body: Body) => (isCompaction(body) ? text('SUMMARY: three questions answered.') : text('wrong order')),
      (body: Body) => {
        expect(body.messages[1].content).toContain('SUMMARY: three questions answered.');
        return text('Fits now.');
      },
    );
    const done = await session.run('question 4');
    expect(done).toMatchObject({ reason: 'completed', text: 'Fits now.' });
    expect(events.filter((e) => e.type === 'compaction')).toHaveLength(1);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    // The summarising request's tokens count towards the run.
    expect(done.usage.inputTokens).toBeGreaterThan(0);
    expect(session.history.at(-1)).toMatchObject({ role: 'assistant', content: 'Fits now.' });
  });

  it('does the same for finish_reason model_context_window_exceeded, and gives up after one try', async () => {
    const { session, events } = await openSession();
    await chat(session);
    fake.reply(finish('model_context_window_exceeded', { content: 'Half' }), text('SUMMARY'), finish('model_context_window_exceeded', { content: 'Again' }));
    const done = await session.run('question 4');
    expect(done.reason).toBe('error');
    expect(fake.requests.filter(isCompaction)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'error')).toMatchObject([{ kind: 'context' }]);
    // The cut-off answers never entered the history.
    expect(session.history.some((m) => m.content === 'Half' || m.content === 'Again')).toBe(false);
  });
});

describe('/compact', () => {
  it('summarises on demand with the focus, and the next request starts from the summary', async () => {
    const { session, events } = await openSession();
    await chat(session);
    fake.reply(text('FOCUSED SUMMARY'));
    const result = await session.compact('the parser bug');
    expect(result).toMatchObject({ compacted: true });
    expect(result.afterTokens).toBeLessThan(result.beforeTokens!);
    const request: Body = fake.requests.at(-1);
    expect(request.messages.at(-1)?.content).toMatch(/focus the summary on: the parser bug\n?$/);
    expect(events.at(-1)).toMatchObject({ type: 'compaction', summary: 'FOCUSED SUMMARY' });
    expect(session.contextTokens).toBe(result.afterTokens);

    fake.reply(text('ok'));
    await session.run('go on');
    const next: Body = fake.requests.at(-1);
    expect(next.messages[1].content).toContain('FOCUSED SUMMARY');
    expect(next.messages[1].content).toContain('1. question 1');
  });

  it('says when there is nothing to compact', async () => {
    const { session } = await openSession();
    expect(await session.compact()).toEqual({ compacted: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('/model', () => {
  it('compacts against the new model\'s window once the client changes', async () => {
    const { root, session, events } = await openSession();
    await chat(session);
    expect(events.some((e) => e.type === 'compaction')).toBe(false);
    const env = { HOME: root, XDG_DATA_HOME: path.join(root, 'data'), XDG_CONFIG_HOME: path.join(root, 'cfg'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.url };
    session.setClient(createModelClientFromConfig(loadConfig({}, env, root)), 3_000); // a model with a small window
    expect(session.context.window).toBe(3_000);
    fake.reply((body: Body) => (isCompaction(body) ? text('SUMMARY: three questions.') : text('wrong order')), text('Small model answer.'));
    const done = await session.run('question 4');
    expect(done).toMatchObject({ reason: 'completed', text: 'Small model answer.' });
    expect(events.filter((e) => e.type === 'compaction')).toHaveLength(1);
  });
});

describe('resume', () => {
  it('brings back the prompts (also those a compaction summarised), the todo list and the token totals', async () => {
    const first = await openSession();
    const todos = [{ content: 'Write the parser', status: 'in_progress', activeForm: 'Writing the parser' }];
    fake.reply(toolCalls([{ name: 'TodoWrite', arguments: { todos } }]), text('Planned.'));
    await first.session.run('plan the parser');
    await chat(first.session);
    fake.reply(text('SUMMARY'));
    await first.session.compact();
    await first.session.close();

    const again = await openSession(first.session.id, first.root);
    expect(again.session.prompts).toEqual(['plan the parser', 'question 1', 'question 2', 'question 3']);
    expect(again.session.toolState.todos).toEqual(todos);
    expect(again.session.history).toEqual(first.session.history);
    expect(again.session.contextTokens).toBeGreaterThan(0);
    // Token totals go on from where the session stopped, the summarising request included.
    expect(first.session.usage.inputTokens).toBeGreaterThan(0);
    expect(again.session.usage).toEqual(first.session.usage);
    // The transcript holds the compacted history once, as a context record before the compaction event.
    const lines = (await readFile(again.session.transcript.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const at = lines.findIndex((l) => l.context?.kind === 'compact');
    expect(lines[at + 1].event).toMatchObject({ type: 'compaction' });
  });
});
