// compactHistory with a scripted model client: what the summarising request contains, what the compacted
// history looks like (summary, the user's words verbatim, files, todos, then the latest turns whole), and the
// fallback when the model cannot summarise.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compactHistory, keptStart, SUMMARY_HEADER, type CompactInput } from '../../src/context/compact.ts';
import type { Message, ModelClient, ModelEvent, ModelRequest } from '../../src/types.ts';

const COMPACT = readFileSync(path.resolve(import.meta.dirname, '../../prompts/compact.md'), 'utf8');

function client(reply: ModelEvent[]): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async *stream(request) {
      requests.push(structuredClone(request));
      yield* reply;
    },
  };
}

const summaryReply = (text: string): ModelEvent[] => [
  { type: 'message_end', message: { role: 'assistant', content: text }, finishReason: 'stop', usage: { inputTokens: 900, outputTokens: 50, cachedTokens: 800, reasoningTokens: 0 } },
];

/** Prompt → tool call → result → answer, `n` times, each answer ~500 tokens. */
function longHistory(n: number): Message[] {
  const history: Message[] = [];
  for (let i = 1; i <= n; i++) {
    history.push({ role: 'user', content: `prompt ${i}` });
    history.push({ role: 'assistant', content: '', reasoning: 'look', toolCalls: [{ id: `c${i}`, name: 'Read', arguments: `{"file_path":"f${i}.ts"}` }] });
    history.push({ role: 'tool', toolCallId: `c${i}`, name: 'Read', content: `contents of f${i}` });
    history.push({ role: 'assistant', content: `answer ${i} ${'blah '.repeat(400)}` });
  }
  return history;
}

const input = (over: Partial<CompactInput>): CompactInput => ({
  client: client(summaryReply('## Goal\nFix it.')),
  system: 'system prompt',
  tools: [],
  history: longHistory(8),
  window: 16_000,
  scale: (n) => n,
  prompts: Array.from({ length: 8 }, (_, i) => `prompt ${i + 1}`),
  todos: [
    { content: 'Fix the parser', status: 'completed', activeForm: 'Fixing' },
    { content: 'Run the tests', status: 'in_progress', activeForm: 'Running' },
  ],
  files: ['src/a.ts'],
  signal: new AbortController().signal,
  ...over,
});

describe('compactHistory', () => {
  it('asks with the compact prompt and keeps the latest turns whole after the summary', async () => {
    const model = client(summaryReply('## Goal\nFix it.'));
    const history = longHistory(8);
    const result = (await compactHistory(input({ client: model, history, focus: 'the parser' })))!;
    expect(result.summary).toBe('## Goal\nFix it.');
    expect(result.usage?.inputTokens).toBe(900);

    const [request] = model.requests;
    expect(request.system).toBe('system prompt');
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: COMPACT.replace('{{focus}}', '\n\nThe user asked you to focus the summary on: the parser') });
    expect(request.messages[0]).toEqual({ role: 'user', content: 'prompt 1' });

    const [summary, ...kept] = result.history;
    expect(kept).toEqual(history.slice(history.length - kept.length));
    // The last three model turns, from the prompt they answer.
    expect(kept[0]).toEqual({ role: 'user', content: 'prompt 7' });
    expect(kept).toHaveLength(8);
    expect(summary.role).toBe('user');
    expect(summary.content.startsWith(SUMMARY_HEADER)).toBe(true);
    expect(summary.content).toContain('<summary>\n## Goal\nFix it.\n</summary>');
    expect(summary.content).toContain('1. prompt 1\n2. prompt 2');
    expect(summary.content).toContain('src/a.ts');
    expect(summary.content).toContain('- [x] Fix the parser\n- [~] Run the tests (in progress)');
    // Prompts already in the kept turns are not repeated in the summary.
    for (const m of kept) if (m.role === 'user') expect(summary.content).not.toContain(`. ${m.content}\n`);
  });

  it('compacts without a summary when the model fails, keeping the user\u2019s words', async () => {
    const failing = client([{ type: 'error', kind: 'network', message: 'connection reset' }]);
    const result = (await compactHistory(input({ client: failing })))!;
    expect(result.failure).toBe('connection reset');
    expect(result.history[0].content).toContain('No summary: connection reset');
    expect(result.history[0].content).toContain('1. prompt 1');
  });

  it('sends only what fits the window for summarising', async () => {
    const model = client(summaryReply('ok'));
    const huge = longHistory(30);
    await compactHistory(input({ client: model, history: huge, window: 8_000 }));
    const sent = model.requests[0].messages;
    const tokens = sent.reduce((n, m) => n + m.content.length / 4, 0);
    expect(tokens).toBeLessThan(8_000);
    expect(sent[0].content).toMatch(/did not fit/);
  });

  it('drops the tool list from the summarising request before it drops any turn', async () => {
    const small = { name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: {} } };
    const big = { name: 'Huge', description: 'x'.repeat(48_000), parameters: { type: 'object', properties: {} } };
    const withSmall = client(summaryReply('ok'));
    await compactHistory(input({ client: withSmall, tools: [small] }));
    expect(withSmall.requests[0].tools).toEqual([small]); // it fits: the session's cached prefix is kept
    const withBig = client(summaryReply('ok'));
    await compactHistory(input({ client: withBig, tools: [small, big] }));
    const [request] = withBig.requests;
    expect(request.tools).toEqual([]);
    expect(request.messages[0]).toEqual({ role: 'user', content: 'prompt 1' });
    expect(request.messages.some((m) => /did not fit|output cut/.test(m.content))).toBe(false);
  });

  it('has nothing to compact in a short conversation', async () => {
    expect(await compactHistory(input({ history: [{ role: 'user', content: 'hi' }] }))).toBeUndefined();
    expect(keptStart([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], (n) => n, 1000)).toBe(0);
  });

  it('never starts the kept turns at a tool result, even when one turn is over the budget', () => {
    const history = longHistory(3);
    history.push({ role: 'assistant', content: '', toolCalls: [{ id: 'x', name: 'Read', arguments: '{}' }, { id: 'y', name: 'Read', arguments: '{}' }] });
    history.push({ role: 'tool', toolCallId: 'x', name: 'Read', content: 'z'.repeat(40_000) });
    history.push({ role: 'tool', toolCallId: 'y', name: 'Read', content: 'z'.repeat(40_000) });
    const start = keptStart(history, (n) => n, 1000);
    expect(history[start].role).toBe('assistant');
    expect(start).toBe(history.length - 3);
  });
});

describe('compaction and images', () => {
  const img = (name: string, description?: string) => ({ mediaType: 'image/png' as const, data: 'iVBORw0KGgo=', name, width: 1280, height: 720, ...(description && { description }) });

  it('the summarised part sends no image: a described one goes as its description, a vision model\'s own as a placeholder; kept turns keep theirs', async () => {
    const model = client(summaryReply('## Goal\nFix the login page.'));
    const history = longHistory(8);
    history[0] = { role: 'user', content: 'prompt 1', images: [img('error.png', 'A red banner: "Invalid password".'), img('layout.png')] };
    const last = history.length - 4;
    history[last] = { role: 'user', content: 'prompt 8', images: [img('now.png')] };
    const result = (await compactHistory(input({ client: model, history })))!;
    const [request] = model.requests;
    expect(request.messages.some((m) => m.role === 'user' && m.images?.length)).toBe(false);
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: 'prompt 1\n\n[image: error.png 1280×720, replaced by compaction with its description by a vision model]\nA red banner: "Invalid password".\n[end of description]\n\n[image: layout.png 1280×720, removed by compaction]',
    });
    expect(result.history.find((m) => m.role === 'user' && m.content === 'prompt 8')).toMatchObject({ images: [{ name: 'now.png' }] });
  });
});
