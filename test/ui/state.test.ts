import { describe, expect, it } from 'vitest';
import { finishedLength } from '../../src/ui/blocks.ts';
import { initialState, reduce, type FinishedItem, type UiInput, type UiState } from '../../src/ui/state.ts';
import { transcriptLines } from '../../src/ui/transcript-lines.ts';

const start = () => initialState({ model: 'glm-4.6', provider: 'zai', thinking: true, mode: 'default' });
const run = (...inputs: UiInput[]): UiState => inputs.reduce(reduce, start());
const kinds = (s: UiState) => s.finished.map((i) => i.kind);
const answers = (s: UiState) => s.finished.filter((i): i is Extract<FinishedItem, { kind: 'answer' }> => i.kind === 'answer').map((i) => i.markdown);
const text = (t: string): UiInput => ({ type: 'text_delta', text: t });
const done = (reason: 'completed' | 'aborted' = 'completed'): UiInput => ({ type: 'done', reason, text: '', usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, turns: 1 });

describe('finishedLength', () => {
  it('cuts after a blank line', () => {
    expect(finishedLength('para one\n\npara two')).toBe('para one\n\n'.length);
  });
  it('does not cut inside a code fence', () => {
    const t = 'intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n';
    expect(finishedLength(t)).toBe('intro\n\n'.length);
  });
  it('cuts after a closed fence', () => {
    const t = '```\nx\n\ny\n```\nafter';
    expect(finishedLength(t)).toBe('```\nx\n\ny\n```\n'.length);
  });
  it('needs a closing fence of the same kind and at least the same length', () => {
    expect(finishedLength('````\na\n```\n\nb\n\n')).toBe(0);
    expect(finishedLength('~~~\na\n```\n\n')).toBe(0);
  });
  it('does not cut while the first paragraph is still being written', () => {
    expect(finishedLength('no newline yet')).toBe(0);
    expect(finishedLength('one line\nsecond')).toBe(0);
  });
});

describe('reduce: streaming answers', () => {
  it('moves finished paragraphs to the static list and keeps the rest live', () => {
    const s = run({ type: 'submit', text: 'hi', at: 0 }, text('# Title\n\nfirst para'), text('graph\n\nsecond'));
    expect(kinds(s)).toEqual(['user', 'answer', 'answer']);
    expect(answers(s)).toEqual(['# Title', 'first paragraph']);
    expect(s.live.text).toBe('second');
  });

  it('marks only the first block of a message as its start', () => {
    const s = run(text('a\n\n'), text('b\n\n'), { type: 'assistant_message', message: { role: 'assistant', content: 'a\n\nb' }, finishReason: 'stop' }, text('c'), { type: 'assistant_message', message: { role: 'assistant', content: 'c' }, finishReason: 'stop' });
    const firsts = s.finished.map((i) => (i.kind === 'answer' ? i.first : null));
    expect(firsts).toEqual([true, false, true]);
  });

  it('keeps a code block with blank lines live until the fence closes', () => {
    let s = run(text('```py\ndef f():\n\n    return 1\n'));
    expect(s.finished).toEqual([]);
    s = reduce(s, text('```\n'));
    expect(answers(s)).toEqual(['```py\ndef f():\n\n    return 1\n```']);
  });

  it('uses the message content when nothing was streamed', () => {
    const s = run({ type: 'assistant_message', message: { role: 'assistant', content: 'whole answer', reasoning: 'why' }, finishReason: 'stop' });
    expect(answers(s)).toEqual(['whole answer']);
    expect(s.finished[0]).toMatchObject({ kind: 'reasoning', words: 1 });
  });

  it('collapses reasoning to a word count when the answer starts', () => {
    let s = run({ type: 'thinking_delta', text: 'one two ' }, { type: 'thinking_delta', text: 'three' });
    expect(s.live.reasoning).toBe('one two three');
    s = reduce(s, text('answer'));
    expect(s.live.reasoning).toBe('');
    expect(s.finished).toEqual([{ kind: 'reasoning', id: 1, words: 3, text: undefined }]);
    expect(s.lastReasoning).toBe('one two three');
  });

  it('shows the last reasoning in full when Ctrl+T turns reasoning on, and later reasoning in full', () => {
    let s = run({ type: 'thinking_delta', text: 'because' }, text('x'), { type: 'toggle_reasoning' });
    expect(s.showReasoning).toBe(true);
    expect(s.finished.at(-1)).toMatchObject({ kind: 'reasoning', text: 'because' });
    s = reduce(reduce(s, { type: 'thinking_delta', text: 'more thoughts' }), text('y'));
    expect(s.finished.at(-1)).toMatchObject({ kind: 'reasoning', text: 'more thoughts' });
  });

  it('keeps the partial answer and says so when the turn is aborted', () => {
    const s = run({ type: 'submit', text: 'go', at: 0 }, text('half an ans'), done('aborted'));
    expect(answers(s)).toEqual(['half an ans']);
    expect(s.finished.at(-1)).toMatchObject({ kind: 'notice', tone: 'warn' });
    expect(s.busy).toBe(false);
  });
});

describe('reduce: tools', () => {
  const startTool: UiInput = { type: 'tool_start', callId: 'c1', name: 'Bash', input: { command: 'npm test' }, title: 'Bash npm test' };

  it('shows a running tool with its output tail, then a compact result', () => {
    let s = run(startTool, { type: 'tool_output', callId: 'c1', chunk: 'line 1\n' }, { type: 'tool_output', callId: 'c1', chunk: 'line 2\n' });
    expect(s.live.tools).toEqual([{ callId: 'c1', name: 'Bash', title: 'Bash npm test', tail: 'line 1\nline 2\n', command: true }]);
    s = reduce(s, { type: 'tool_end', callId: 'c1', name: 'Bash', output: '...', display: { summary: 'exit 0' }, isError: false });
    expect(s.live.tools).toEqual([]);
    s = reduce(s, { type: 'tool_start', callId: 'c2', name: 'Read', input: {}, title: 'Read a' });
    expect(s.finished).toEqual([{ kind: 'tool', id: 1, title: 'Bash npm test', summary: 'exit 0', diff: undefined, isError: false, detail: undefined }]);
  });

  it('bounds the live output tail', () => {
    const s = run(startTool, { type: 'tool_output', callId: 'c1', chunk: 'x'.repeat(100_000) });
    expect(s.live.tools[0]!.tail.length).toBeLessThanOrEqual(2000);
  });

  it('carries the diff of an edit and the last lines of an error', () => {
    let s = run({ type: 'tool_start', callId: 'e', name: 'Edit', input: {}, title: 'Edit a.ts' });
    s = reduce(s, { type: 'tool_end', callId: 'e', name: 'Edit', output: 'ok', display: { summary: '+1 -1', diff: '@@ -1 +1 @@\n-a\n+b\n' }, isError: false });
    expect(s.finished[0]).toMatchObject({ diff: '@@ -1 +1 @@\n-a\n+b\n' });
    s = reduce(reduce(s, { ...startTool, callId: 'f' }), { type: 'tool_end', callId: 'f', name: 'Bash', output: 'boom\nat x\nat y\nat z', isError: true });
    expect(s.finished[1]).toMatchObject({ isError: true, detail: 'boom\nat x\nat y\nat z' });
  });

  it('titles a call that never ran (denied, or failed its check) from its tool_end', () => {
    const s = run({ type: 'tool_end', callId: 'd', name: 'Edit', title: 'Edit app.py', output: 'app.py exists but you have not read it in this session.', isError: true });
    expect(s.finished[0]).toMatchObject({ kind: 'tool', title: 'Edit app.py', isError: true });
  });

  it('flushes text streamed before a tool call and marks unfinished tools interrupted at the end', () => {
    const s = run(text('Let me look.'), startTool, done('aborted'));
    expect(kinds(s)).toEqual(['answer', 'tool', 'notice']);
    expect(s.finished[1]).toMatchObject({ summary: 'interrupted', isError: true });
  });

  it('notes a rule added with "always allow"', () => {
    const s = run({ type: 'approval_result', callId: 'c', name: 'Bash', input: {}, decision: 'allow', by: 'user', rule: 'Bash(npm test:*)' });
    expect(s.finished[0]).toMatchObject({ kind: 'notice', text: expect.stringContaining('Bash(npm test:*)') });
  });
});

describe('reduce: bounded static list', () => {
  it('drops items once written and starts a new <Static> generation', () => {
    let s = run({ type: 'notice', text: 'a' }, { type: 'notice', text: 'b' });
    s = reduce(s, { type: 'static_flushed', epoch: 0, count: 2 });
    expect(s.finished).toEqual([]);
    expect(s.epoch).toBe(1);
    s = reduce(s, { type: 'notice', text: 'c' });
    expect(s.finished.map((i) => i.kind === 'notice' && i.text)).toEqual(['c']);
  });

  it('ignores a flush report from an older generation', () => {
    let s = run({ type: 'notice', text: 'a' }, { type: 'static_flushed', epoch: 0, count: 1 }, { type: 'notice', text: 'b' });
    s = reduce(s, { type: 'static_flushed', epoch: 0, count: 1 });
    expect(s.finished).toHaveLength(1);
  });

  it('keeps memory flat over a long session when every render is flushed', () => {
    let s = start();
    for (let i = 0; i < 5000; i++) {
      s = reduce(s, text(`paragraph ${i}\n\n`));
      s = reduce(s, { type: 'static_flushed', epoch: s.epoch, count: s.finished.length });
    }
    expect(s.finished.length).toBe(0);
    expect(s.live.text.length).toBeLessThan(50);
  });
});

describe('reduce: approvals, pickers, stats', () => {
  it('opens and closes an approval and records typed feedback', () => {
    let s = run({ type: 'approval_open', request: { callId: 'c', toolName: 'Bash', input: {}, title: 'Bash rm -rf x', reason: 'r', rule: 'Bash(rm:*)' } });
    expect(s.approval?.typing).toBe(false);
    s = reduce(s, { type: 'approval_typing', feedback: 'use trash' });
    expect(s.approval).toMatchObject({ typing: true, feedback: 'use trash' });
    expect(reduce(s, { type: 'approval_close' }).approval).toBeUndefined();
  });

  it('wraps picker movement around', () => {
    let s = run({ type: 'picker_open', title: 't', options: [{ label: 'a', value: 'a' }, { label: 'b', value: 'b' }] });
    s = reduce(s, { type: 'picker_move', delta: -1 });
    expect(s.picker?.index).toBe(1);
  });

  it('shows retries until the next delta', () => {
    let s = run({ type: 'retry', attempt: 2, maxAttempts: 5, delayMs: 2500, reason: 'rate limited' });
    expect(s.status).toBe('Retrying (2/5) in 3s: rate limited');
    s = reduce(s, text('ok'));
    expect(s.status).toBeUndefined();
  });
});

describe('reduce: what the user sees of output, denials, plans and the transcript (issue 19)', () => {
  const startTool: UiInput = { type: 'tool_start', callId: 'b', name: 'Bash', input: { command: 'make' }, title: 'Bash make' };
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n');

  it("keeps a failed command's last 10 lines and says how many came before", () => {
    const s = run(startTool, { type: 'tool_end', callId: 'b', name: 'Bash', output: lines(31), display: { summary: 'exit 1 · 31 lines' }, isError: true });
    const item = s.finished[0] as Extract<FinishedItem, { kind: 'tool' }>;
    expect(item.summary).toBe('exit 1 · 31 lines');
    expect(item.detail!.split('\n')).toEqual(['… +21 lines', ...Array.from({ length: 10 }, (_, i) => `line ${i + 22}`)]);
  });

  const ok = (callId = 'b', output = lines(31)): UiInput => ({ type: 'tool_end', callId, name: 'Bash', output, display: { summary: 'exit 0 · 31 lines' }, isError: false });
  const tools = (s: UiState) => s.finished.filter((i): i is Extract<FinishedItem, { kind: 'tool' }> => i.kind === 'tool');

  it("keeps a successful command's last lines when the model's next message opens with text", () => {
    let s = run(startTool, { type: 'tool_output', callId: 'b', chunk: lines(31) }, ok());
    expect(s.finished).toEqual([]);
    expect(s.live.held.map((h) => h.item.title)).toEqual(['Bash make']);
    s = reduce(s, { type: 'thinking_delta', text: 'the build passed' });
    s = reduce(s, text('\n'));
    expect(s.finished).toEqual([]);
    s = reduce(s, text('All 31 steps passed.'));
    expect(kinds(s)).toEqual(['tool', 'reasoning']);
    expect(tools(s)[0]!.detail!.split('\n')).toEqual(['… +21 lines', ...Array.from({ length: 10 }, (_, i) => `line ${i + 22}`)]);
    expect(s.live.held).toEqual([]);
    expect(s.log[0]).toMatchObject({ kind: 'tool', output: lines(31), detail: tools(s)[0]!.detail });
  });

  it('collapses a successful command the model follows with another tool call, or that ends the run', () => {
    let s = run(startTool, ok(), { type: 'assistant_message', message: { role: 'assistant', content: '', toolCalls: [{ id: 'r', name: 'Read', arguments: '{}' }] }, finishReason: 'tool_calls' });
    s = reduce(s, { type: 'tool_start', callId: 'r', name: 'Read', input: {}, title: 'Read a' });
    expect(tools(s)).toMatchObject([{ title: 'Bash make', summary: 'exit 0 · 31 lines', detail: undefined }]);
    s = run(startTool, ok(), done('aborted'));
    expect(tools(s)).toMatchObject([{ title: 'Bash make', detail: undefined }]);
  });

  it('keeps the order of parallel calls and gives each command its lines when the model answers (also unstreamed)', () => {
    let s = run(startTool, { type: 'tool_start', callId: 'r', name: 'Read', input: {}, title: 'Read a' }, { ...startTool, callId: 'c' });
    s = reduce(s, ok('b', 'one'));
    s = reduce(s, { type: 'tool_end', callId: 'r', name: 'Read', output: 'file text', isError: false });
    s = reduce(s, ok('c', 'two'));
    expect(s.finished).toEqual([]);
    s = reduce(s, { type: 'assistant_message', message: { role: 'assistant', content: 'Both said something.' }, finishReason: 'stop' });
    expect(s.finished).toMatchObject([{ title: 'Bash make', detail: 'one' }, { title: 'Read a', detail: undefined }, { title: 'Bash make', detail: 'two' }, { kind: 'answer' }]);
  });

  it('never keeps lines for a background start, a command without output or a denied call', () => {
    const bg: UiInput = { type: 'tool_start', callId: 'g', name: 'Bash', input: { command: 'serve', run_in_background: true }, title: 'Bash serve' };
    let s = run(bg, { type: 'tool_end', callId: 'g', name: 'Bash', output: 'Started in the background as bash_1', isError: false });
    expect(s.live.held).toEqual([]);
    s = run(startTool, ok('b', '(no output)'), text('Done.'));
    expect(tools(s)[0]!.detail).toBeUndefined();
  });

  it('shows a progress bar line as it ends, not its carriage returns', () => {
    const s = run(startTool, { type: 'tool_end', callId: 'b', name: 'Bash', output: 'get 10%\rget 50%\rget 100%\ndone', isError: true });
    expect((s.finished[0] as Extract<FinishedItem, { kind: 'tool' }>).detail).toBe('get 100%\ndone');
  });

  it("settles only a command's output as a terminal would: another tool's \\r and escapes show in the transcript view", () => {
    // A file named "secret.sh\rnotes.txt" must not read as "notes.txt"; a Bash progress bar still shows as it ends.
    const glob: UiInput = { type: 'tool_start', callId: 'g', name: 'Glob', input: { pattern: '*' }, title: 'Glob *' };
    let s = run(glob, { type: 'tool_end', callId: 'g', name: 'Glob', output: 'secret.sh\rnotes.txt\nevil\x1b[2J.txt', isError: false });
    s = reduce(s, { type: 'tool_start', callId: 'e', name: 'Read', input: {}, title: 'Read x' });
    s = reduce(s, { type: 'tool_end', callId: 'e', name: 'Read', output: 'bad\rgood', isError: true });
    s = reduce(s, startTool);
    s = reduce(s, { type: 'tool_end', callId: 'b', name: 'Bash', output: 'get 10%\rget 100%\n\x1b[32mok\x1b[39m', isError: false });
    s = reduce(s, done());
    const view = transcriptLines(s.log, 80, false).map((l) => l.text);
    expect(view).toContain('    secret.sh\\rnotes.txt');
    expect(view).toContain('    evil\\e[2J.txt');
    expect(view).toContain('    get 100%');
    expect(view).toContain('    ok');
    expect(tools(s)[1]!.detail).toBe('bad\rgood');
  });

  it('says a prompt a UserPromptSubmit hook blocked once, through the session\'s error', () => {
    const hook = { type: 'hook_response', hookEvent: 'UserPromptSubmit', hookName: 'UserPromptSubmit', command: 'gate.sh', source: 'settings.json', exitCode: 2, stdout: '', stderr: 'no secrets', durationMs: 5 } as const;
    const s = run(
      { ...hook, outcome: 'blocked', message: 'blocked: no secrets' },
      { type: 'error', message: 'A UserPromptSubmit hook blocked the prompt: no secrets' },
      { ...hook, hookEvent: 'PreToolUse', hookName: 'PreToolUse:Bash', outcome: 'blocked', message: 'denied: not here' },
    );
    expect(s.finished.map((i) => (i.kind === 'notice' ? i.text : i.kind))).toEqual(['A UserPromptSubmit hook blocked the prompt: no secrets', 'PreToolUse:Bash hook: denied: not here']);
  });

  it('shows a denial as "Denied: <reason>", not the instruction the model gets', () => {
    const model = 'Permission denied: matches deny rule Bash(rm:*). Do not retry this call; take another approach or tell the user what you need.';
    let s = run({ type: 'approval_result', callId: 'b', name: 'Bash', input: {}, decision: 'deny', by: 'rule' });
    s = reduce(s, { type: 'tool_end', callId: 'b', name: 'Bash', title: 'Bash rm -rf x', output: model, isError: true });
    expect(s.finished[0]).toMatchObject({ summary: 'Denied: matches deny rule Bash(rm:*)', detail: undefined });
    s = reduce(s, { type: 'approval_result', callId: 'c', name: 'Bash', input: {}, decision: 'deny', by: 'user', feedback: 'not now' });
    s = reduce(s, { type: 'tool_end', callId: 'c', name: 'Bash', title: 'Bash ls', output: 'The user denied this call. The user said: \"not now\". Do not retry it as is; adjust your approach.', isError: true });
    expect(s.finished[1]).toMatchObject({ summary: 'Denied: not now' });
    expect(s.denials).toEqual({});
  });

  it('keeps every item in full in the log for the transcript view, after the scrollback dropped them', () => {
    let s = run({ type: 'toggle_reasoning' }, { type: 'toggle_reasoning' }, { type: 'thinking_delta', text: 'deep thought' }, startTool);
    s = reduce(s, { type: 'tool_end', callId: 'b', name: 'Bash', output: 'all of it', display: { summary: 'exit 0 · 1 line' }, isError: false });
    s = reduce(s, done());
    s = reduce(s, { type: 'static_flushed', epoch: s.epoch, count: s.finished.length });
    expect(s.finished).toEqual([]);
    expect(s.log).toMatchObject([{ kind: 'reasoning', text: 'deep thought' }, { kind: 'tool', output: 'all of it' }]);
  });

  it('opens, scrolls within bounds and closes the transcript view', () => {
    let s = run({ type: 'transcript', open: true });
    expect(s.transcript).toEqual({ scroll: 0 });
    s = reduce(s, { type: 'transcript_scroll', delta: 5, max: 3 });
    expect(s.transcript).toEqual({ scroll: 3 });
    s = reduce(s, { type: 'transcript_scroll', delta: -Infinity, max: 3 });
    expect(s.transcript).toEqual({ scroll: 0 });
    expect(reduce(s, { type: 'transcript', open: false }).transcript).toBeUndefined();
  });

  it("writes an approved plan to the scrollback after ExitPlanMode's line", () => {
    let s = run({ type: 'tool_start', callId: 'p', name: 'ExitPlanMode', input: { plan: '1. Do it.' }, title: 'Plan' });
    s = reduce(s, { type: 'tool_end', callId: 'p', name: 'ExitPlanMode', output: 'approved', display: { summary: 'Plan approved · default mode' }, isError: false });
    expect(s.finished).toMatchObject([{ kind: 'tool', summary: 'Plan approved · default mode' }, { kind: 'answer', markdown: '1. Do it.' }]);
  });

  it('shows a `!command` as the user typed it, then its status and last lines (all of it in the log)', () => {
    const s = run({ type: 'shell_start', command: 'ls' }, { type: 'shell_result', output: lines(12), status: 'exit 0 · 12 lines', failed: false });
    expect(s.finished).toMatchObject([{ kind: 'user', text: '!ls' }, { kind: 'tool', title: 'Shell', summary: 'exit 0 · 12 lines', isError: false }]);
    expect((s.finished[1] as Extract<FinishedItem, { kind: 'tool' }>).detail!.split('\n')[0]).toBe('… +2 lines');
    expect(s.log[1]).toMatchObject({ output: lines(12) });
  });

  it('says "1 turn", not "1 turns"', () => {
    const s = run({ type: 'done', reason: 'max_turns', text: '', usage: { inputTokens: 0, outputTokens: 0, cachedTokens: 0, reasoningTokens: 0 }, turns: 1 });
    expect(s.finished.at(-1)).toMatchObject({ text: 'Stopped after 1 turn (the turn limit). Say "continue" to go on.' });
  });
});


describe('reduce: MCP servers in the status line', () => {
  it('counts servers up of all, as they connect; the same count keeps the state; none configured shows nothing', () => {
    const connecting = run({ type: 'mcp_servers', up: 0, total: 3 });
    expect(connecting.mcp).toEqual({ up: 0, total: 3 });
    const two = ([{ type: 'mcp_servers', up: 1, total: 3 }, { type: 'mcp_servers', up: 2, total: 3 }] as UiInput[]).reduce(reduce, connecting);
    expect(two.mcp).toEqual({ up: 2, total: 3 });
    expect(reduce(two, { type: 'mcp_servers', up: 2, total: 3 })).toBe(two);
    expect(reduce(two, { type: 'mcp_servers', up: 0, total: 0 }).mcp).toBeUndefined();
    expect(start().mcp).toBeUndefined();
  });
});
