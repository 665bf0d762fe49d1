// The reducer's part of a resumed session (which events are shown again, as which finished items) and of an
// answer the model gave only in its reasoning.
import { describe, expect, it } from 'vitest';
import { replayEvents, shortPrompt } from '../../src/ui/replay.ts';
import { formatCost, initialState, reduce, type FinishedItem, type UiInput, type UiState } from '../../src/ui/state.ts';
import { emptyUsage, type AgentEvent } from '../../src/types.ts';

const start = () => initialState({ model: 'glm-4.6', provider: 'zai', thinking: true, mode: 'default' });
const run = (...inputs: UiInput[]): UiState => inputs.reduce(reduce, start());
const kinds = (s: UiState) => s.finished.map((i) => i.kind);
const of = <K extends FinishedItem['kind']>(s: UiState, kind: K) => s.finished.filter((i): i is Extract<FinishedItem, { kind: K }> => i.kind === kind);

const prompt = (text: string): AgentEvent => ({ type: 'user_message', text });
const answer = (content: string, reasoning?: string): AgentEvent => ({ type: 'assistant_message', message: { role: 'assistant', content, reasoning }, finishReason: 'stop' });
const done = (text = ''): AgentEvent => ({ type: 'done', reason: 'completed', text, usage: emptyUsage(), turns: 1 });
const exchange = (n: number): AgentEvent[] => [prompt(`question ${n}`), { type: 'turn_start', turn: 1 }, answer(`answer ${n}`), { type: 'turn_end', turn: 1 }, done(`answer ${n}`)];

describe('replayEvents: what of a resumed session is shown', () => {
  it('keeps the last exchanges and counts the earlier prompts and answers', () => {
    const all = Array.from({ length: 25 }, (_, i) => exchange(i + 1)).flat();
    const r = replayEvents(all, 20);
    expect(r.skipped).toBe(10); // 5 prompts + 5 answers
    const prompts = r.events.flatMap((e) => (e.type === 'user_message' ? [e.text] : []));
    expect(prompts).toHaveLength(20);
    expect(prompts[0]).toBe('question 6');
    expect(r.events.some((e) => e.type === 'turn_start' || e.type === 'turn_end')).toBe(false);
  });

  it('keeps everything of a short session', () => {
    const r = replayEvents([...exchange(1), ...exchange(2)]);
    expect(r.skipped).toBe(0);
    expect(r.events.filter((e) => e.type === 'user_message')).toHaveLength(2);
  });

  it('counts a nudge as part of its exchange, not as a prompt', () => {
    const all = [...exchange(1), prompt('question 2'), answer('', 'thinking only'), { type: 'user_message', text: 'Continue.', synthetic: true } as AgentEvent, answer('answer 2'), done('answer 2')];
    const r = replayEvents(all, 1);
    expect(r.skipped).toBe(2);
    expect(r.events[0]).toEqual(prompt('question 2'));
  });

  it('drops @file attachments, long prompt tails, diffs and tool output', () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    expect(shortPrompt('look at @a.ts\n\n<file path="a.ts">\nconst secret = 1;\n</file>')).toBe('look at @a.ts');
    expect(shortPrompt(long)).toBe(`${long.split('\n').slice(0, 12).join('\n')}\n… (18 more lines)`);
    const r = replayEvents([
      prompt('edit it'),
      { type: 'tool_start', callId: 'e', name: 'Edit', input: {}, title: 'Edit a.ts' },
      { type: 'tool_end', callId: 'e', name: 'Edit', output: 'big output', display: { summary: '+1 -1', diff: '-a\n+b\n' }, isError: false },
      { type: 'tool_start', callId: 'b', name: 'Bash', input: {}, title: 'Bash false' },
      { type: 'tool_end', callId: 'b', name: 'Bash', output: 'first line\nsecond line', isError: true },
    ]);
    expect(r.events[2]).toMatchObject({ type: 'tool_end', output: '', display: { summary: '+1 -1' } });
    expect(r.events[2]).not.toHaveProperty('display.diff');
    expect(r.events[4]).toMatchObject({ type: 'tool_end', output: 'first line' });
  });
});

describe('reduce: replay', () => {
  const events: AgentEvent[] = [
    { type: 'session_start', sessionId: 'old', cwd: '/x', model: 'glm-4.5', provider: 'zai', permissionMode: 'plan', tools: [], resumed: false },
    prompt('read a.ts'),
    { type: 'turn_start', turn: 1 },
    { type: 'assistant_message', message: { role: 'assistant', content: '', reasoning: 'I will read it.', toolCalls: [{ id: 'r', name: 'Read', arguments: '{}' }] }, finishReason: 'tool_calls' },
    { type: 'tool_start', callId: 'r', name: 'Read', input: {}, title: 'Read a.ts' },
    { type: 'tool_end', callId: 'r', name: 'Read', output: '', display: { summary: '10 lines' }, isError: false },
    answer('It is **short**.'),
    done('It is **short**.'),
  ];

  it('turns the events into finished items like live ones, and leaves nothing live or busy', () => {
    const s = run({ type: 'replay', events: replayEvents(events).events, skipped: 3 });
    expect(kinds(s)).toEqual(['notice', 'user', 'reasoning', 'tool', 'answer']);
    expect(of(s, 'notice')[0]!.text).toBe('… 3 earlier messages not shown');
    expect(of(s, 'user')[0]!.text).toBe('read a.ts');
    expect(of(s, 'reasoning')[0]).toMatchObject({ words: 4, text: undefined });
    expect(of(s, 'tool')[0]).toMatchObject({ title: 'Read a.ts', summary: '10 lines', isError: false });
    expect(of(s, 'answer')[0]).toMatchObject({ markdown: 'It is **short**.', first: true });
    expect(s.busy).toBe(false);
    expect(s.live.tools).toEqual([]);
    // The old session_start is not replayed: mode and model stay the REPL's.
    expect(s.mode).toBe('default');
    expect(s.model).toBe('glm-4.6');
  });

  it('shows a call the user denied as "Denied: <reason>", as it was shown live', () => {
    const input = { file_path: 'a.txt' };
    const denied: AgentEvent[] = [
      prompt('edit a'),
      { type: 'tool_start', callId: 'e', name: 'Edit', input, title: 'Edit a.txt' },
      { type: 'approval_request', callId: 'e', name: 'Edit', input, title: 'Edit a.txt', reason: 'edits need approval in default mode' },
      { type: 'approval_result', callId: 'e', name: 'Edit', input, decision: 'deny', by: 'user', feedback: 'too long' },
      { type: 'tool_end', callId: 'e', name: 'Edit', output: 'The user denied this call. The user said: "too long". Do not retry it as is; adjust your approach.', isError: true },
      answer('ok'),
      done('ok'),
    ];
    const s = run({ type: 'replay', events: replayEvents(denied).events, skipped: 0 });
    expect(of(s, 'tool')[0]).toMatchObject({ title: 'Edit a.txt', summary: 'Denied: too long', isError: true, detail: undefined });
    expect(s.denials).toEqual({});
  });

  it('marks tool calls a killed session never finished as interrupted', () => {
    const cut: AgentEvent[] = [prompt('run it'), { type: 'tool_start', callId: 'b', name: 'Bash', input: {}, title: 'Bash sleep 100' }];
    const s = run({ type: 'replay', events: cut, skipped: 0 });
    expect(of(s, 'tool')[0]).toMatchObject({ title: 'Bash sleep 100', summary: 'interrupted', isError: true });
    expect(s.live.tools).toEqual([]);
  });

  it('does not disturb a turn that is running', () => {
    const busy = run({ type: 'submit', text: 'hi', at: 5 }, { type: 'text_delta', text: 'stream' });
    const s = reduce(busy, { type: 'replay', events: [prompt('old'), answer('old answer'), done('old answer')], skipped: 0 });
    expect(s.busy).toBe(true);
    expect(s.live.text).toBe('stream');
  });
});

describe('reduce: an answer given only in reasoning', () => {
  it('shows the reasoning as the answer, with a note, when the turn ends on it', () => {
    const s = run(
      { type: 'submit', text: 'what is 2+2?', at: 0 },
      { type: 'thinking_delta', text: 'Two plus two is **4**.' },
      answer('', 'Two plus two is **4**.'),
      done('Two plus two is **4**.'),
    );
    expect(kinds(s)).toEqual(['user', 'reasoning', 'notice', 'answer']);
    expect(of(s, 'notice')[0]).toMatchObject({ text: 'The model answered only in its reasoning:', tone: 'dim' });
    expect(of(s, 'answer')[0]).toMatchObject({ markdown: 'Two plus two is **4**.', first: true });
  });

  it('shows nothing extra when a nudge got a real answer afterwards', () => {
    const s = run(
      { type: 'submit', text: 'q', at: 0 },
      answer('', 'thinking only'),
      { type: 'user_message', text: 'Continue.', synthetic: true },
      answer('The answer.'),
      done('The answer.'),
    );
    expect(kinds(s)).toEqual(['user', 'reasoning', 'answer']);
    expect(of(s, 'answer')[0]!.markdown).toBe('The answer.');
  });

  it('shows nothing extra after tool calls, an interruption or an error', () => {
    const toolOnly: AgentEvent = { type: 'assistant_message', message: { role: 'assistant', content: '', reasoning: 'call it', toolCalls: [{ id: 'a', name: 'LS', arguments: '{}' }] }, finishReason: 'tool_calls' };
    const aborted: AgentEvent = { type: 'done', reason: 'aborted', text: '', usage: emptyUsage(), turns: 1 };
    expect(kinds(run(toolOnly, done('')))).toEqual(['reasoning']);
    expect(kinds(run(answer('', 'half a thought'), aborted))).toEqual(['reasoning', 'notice']);
    expect(of(run(answer('', 'half a thought'), aborted), 'notice')[0]!.text).toContain('Interrupted');
  });
});

describe('formatCost', () => {
  it('shows cents precisely and larger sums shorter', () => {
    expect(formatCost(0.000217)).toBe('$0.0002');
    expect(formatCost(0.0123)).toBe('$0.0123');
    expect(formatCost(1.23456)).toBe('$1.235');
    expect(formatCost(12.345)).toBe('$12.35');
  });
});
