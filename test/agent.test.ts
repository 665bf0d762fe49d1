// The loop against a scripted in-memory model client and small real tools: what a user would check is
// the final answer, that every tool call got exactly one result, and how the run ended.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runLoop, type LoopOptions } from '../src/agent.ts';
import { historyFromEvents } from '../src/transcript.ts';
import { createToolState, defineTool, type AnyToolDef } from '../src/tool.ts';
import type { AgentEvent, AssistantMessage, Message, ModelClient, ModelEvent, ModelRequest, ToolCall } from '../src/types.ts';

const echo = defineTool({
  name: 'Echo',
  kind: 'read',
  description: 'Echoes text.',
  schema: z.object({ text: z.string() }),
  keep: 'head',
  title: (a) => `Echo ${a.text}`,
  execute: async (a) => ({ output: `echo: ${a.text}` }),
});

const failing = defineTool({
  name: 'Fail',
  kind: 'read',
  description: 'Always fails.',
  schema: z.object({}),
  keep: 'head',
  title: () => 'Fail',
  execute: async () => ({ output: 'it failed', isError: true }),
});

const slow = defineTool({
  name: 'Slow',
  kind: 'execute',
  description: 'Waits until aborted.',
  schema: z.object({}),
  keep: 'tail',
  title: () => 'Slow',
  execute: (_a, ctx) =>
    new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ output: 'Interrupted', isError: true }))),
});

type Step = ModelEvent[] | ((req: ModelRequest) => ModelEvent[]);

function scripted(steps: Step[]): ModelClient & { requests: Message[][] } {
  const requests: Message[][] = [];
  return {
    requests,
    async *stream(req, signal) {
      requests.push(structuredClone(req.messages));
      const step = steps.shift();
      if (!step) throw new Error('script ran out');
      for (const event of typeof step === 'function' ? step(req) : step) {
        if (signal.aborted) {
          yield { type: 'error', kind: 'aborted', message: 'aborted' };
          return;
        }
        yield event;
      }
    },
  };
}

const usage = { inputTokens: 10, outputTokens: 5, cachedTokens: 2, reasoningTokens: 1 };
const answer = (text: string, reasoning?: string): ModelEvent[] => [
  ...(reasoning ? [{ type: 'thinking_delta' as const, text: reasoning }] : []),
  { type: 'text_delta', text },
  { type: 'message_end', message: { role: 'assistant', content: text, reasoning }, finishReason: 'stop', usage },
];
const call = (id: string, name: string, args: object | string, extra: Partial<ToolCall> = {}): ToolCall => ({
  id,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
  ...extra,
});
const calls = (...toolCalls: ToolCall[]): ModelEvent[] => [
  { type: 'message_end', message: { role: 'assistant', content: '', reasoning: 'thinking', toolCalls }, finishReason: 'tool_calls', usage },
];

async function run(client: ModelClient, opts: Partial<LoopOptions> & { tools?: AnyToolDef[] } = {}) {
  const events: AgentEvent[] = [];
  const history: Message[] = [{ role: 'user', content: 'go' }];
  const tools = opts.tools ?? [echo, failing, slow];
  const done = await runLoop({
    client,
    tools,
    schemas: tools.map((t) => ({ name: t.name, description: t.description, parameters: z.toJSONSchema(t.schema) as Record<string, unknown> })),
    system: 'sys',
    history,
    gate: async () => ({ allowed: true }),
    toolContext: { cwd: process.cwd(), state: createToolState() },
    spillDir: await mkdtemp(path.join(os.tmpdir(), 'glm-spill-')),
    maxTurns: 10,
    emit: (e) => events.push(e),
    signal: new AbortController().signal,
    ...opts,
  });
  return { done, events, history };
}

/** Every assistant tool call is followed by exactly one tool message, in order. */
function expectValidHistory(history: Message[]) {
  for (let i = 0; i < history.length; i++) {
    const m = history[i];
    if (m.role !== 'assistant' || !m.toolCalls?.length) continue;
    const results = history.slice(i + 1, i + 1 + m.toolCalls.length);
    expect(results.map((r) => (r.role === 'tool' ? r.toolCallId : r.role))).toEqual(m.toolCalls.map((c) => c.id));
  }
}

describe('agent loop', () => {
  it('runs a tool, sends its result back with the reasoning, and ends with the answer', async () => {
    const client = scripted([calls(call('c1', 'Echo', { text: 'hi' })), answer('All done.')]);
    const { done, events, history } = await run(client);
    expect(done).toMatchObject({ reason: 'completed', text: 'All done.', turns: 2 });
    expect(done.usage).toEqual({ inputTokens: 20, outputTokens: 10, cachedTokens: 4, reasoningTokens: 2 });
    const second = client.requests[1];
    expect(second[1]).toMatchObject({ role: 'assistant', reasoning: 'thinking' });
    expect(second[2]).toEqual({ role: 'tool', toolCallId: 'c1', name: 'Echo', content: 'echo: hi' });
    expect(events.map((e) => e.type)).toEqual([
      'turn_start', 'assistant_message', 'tool_start', 'tool_end', 'turn_end',
      'turn_start', 'text_delta', 'assistant_message', 'turn_end', 'done',
    ]);
    expectValidHistory(history);
  });

  it('answers unknown tools, bad arguments and broken JSON with results that say how to fix the call', async () => {
    const client = scripted([
      calls(
        call('a', 'Nope', {}),
        call('b', 'Echo', { text: 42 }),
        call('c', 'Echo', '{}', { invalid: { raw: '{"text": "x', error: 'Unexpected end of JSON input' } }),
      ),
      answer('ok'),
    ]);
    const { history, done } = await run(client);
    expect(done.reason).toBe('completed');
    const [a, b, c] = history.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(a).toMatch(/Unknown tool "Nope"\. Available tools: Echo, Fail, Slow/);
    expect(b).toMatch(/Invalid arguments for Echo: text: .*expected string/i);
    expect(c).toContain('not valid JSON');
    expect(c).toContain('{"text": "x');
    expectValidHistory(history);
  });

  it('coerces arguments GLM sends as strings to the declared type', async () => {
    const counter = defineTool({
      name: 'Count', kind: 'read', description: 'n', schema: z.object({ n: z.number() }), keep: 'head',
      title: () => 'Count', execute: async (a) => ({ output: `n=${a.n + 1}` }),
    });
    const { history } = await run(scripted([calls(call('a', 'Count', { n: '41' })), answer('ok')]), { tools: [counter] });
    expect(history.find((m) => m.role === 'tool')?.content).toBe('n=42');
  });

  it('tells the model about a denied call and goes on', async () => {
    const client = scripted([calls(call('a', 'Echo', { text: 'x' })), answer('I could not.')]);
    const { history, done, events } = await run(client, { gate: async () => ({ allowed: false, message: 'Permission denied: nope.' }) });
    expect(done.text).toBe('I could not.');
    expect(history.find((m) => m.role === 'tool')?.content).toBe('Permission denied: nope.');
    expect(events.some((e) => e.type === 'tool_start')).toBe(false);
  });

  it('runs consecutive read-only calls of one message at the same time: results in order, gate decisions one at a time', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const seen = { running: 0, mostRunning: 0, gating: 0, mostGating: 0, gated: [] as string[] };
    const slowRead = defineTool({
      name: 'SlowRead',
      kind: 'read',
      parallel: true,
      description: 'Reads slowly.',
      schema: z.object({ ms: z.number() }),
      keep: 'head',
      title: (a) => `SlowRead ${a.ms}`,
      async execute(a) {
        seen.mostRunning = Math.max(seen.mostRunning, ++seen.running);
        await sleep(a.ms);
        seen.running--;
        return { output: `waited ${a.ms}` };
      },
    });
    const gate: LoopOptions['gate'] = async (c) => {
      seen.mostGating = Math.max(seen.mostGating, ++seen.gating);
      seen.gated.push(c.callId);
      await sleep(20);
      seen.gating--;
      return { allowed: true };
    };
    const client = scripted([calls(call('a', 'SlowRead', { ms: 150 }), call('b', 'SlowRead', { ms: 30 }), call('c', 'Echo', { text: 'after' })), answer('done')]);
    const { history, events } = await run(client, { tools: [slowRead, echo], gate });
    expect(seen.mostRunning).toBe(2);
    expect(seen.mostGating).toBe(1);
    expect(seen.gated).toEqual(['a', 'b', 'c']);
    expect(history.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual(['waited 150', 'waited 30', 'echo: after']);
    // The two reads overlap; Echo (not parallel) starts only after both ended.
    const order = events.flatMap((e) => (e.type === 'tool_start' || e.type === 'tool_end' ? [`${e.type.slice(5)} ${e.callId}`] : []));
    expect(order).toEqual(['start a', 'start b', 'end a', 'end b', 'start c', 'end c']);
    expectValidHistory(history);
  });

  it('on abort answers every pending call with "interrupted" and ends aborted', async () => {
    const controller = new AbortController();
    const client = scripted([calls(call('a', 'Slow', {}), call('b', 'Echo', { text: 'never' }))]);
    const running = run(client, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const { done, history } = await running;
    expect(done.reason).toBe('aborted');
    const results = history.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(results).toHaveLength(2);
    expect(results[1]).toMatch(/Interrupted/);
    expectValidHistory(history);
  });

  it('keeps the partial answer when aborted while streaming', async () => {
    const controller = new AbortController();
    const client: ModelClient = {
      async *stream(_req, signal) {
        yield { type: 'text_delta', text: 'Half an ans' };
        controller.abort();
        if (signal.aborted) yield { type: 'error', kind: 'aborted', message: 'aborted' };
      },
    };
    const { done, history, events } = await run(client, { signal: controller.signal });
    expect(done.reason).toBe('aborted');
    expect(history.at(-1)).toMatchObject({ role: 'assistant', content: 'Half an ans' });
    // The transcript rebuilds the same history on --continue.
    expect(historyFromEvents([{ type: 'user_message', text: 'go' }, ...events])).toEqual(history);
  });

  it('stops a call that keeps failing the same way', async () => {
    const fail = () => calls(call(`f${Math.random()}`, 'Fail', {}));
    const { done, events } = await run(scripted([fail(), fail(), fail(), fail()]));
    expect(done.reason).toBe('loop');
    expect(done.turns).toBe(3);
    expect(events.some((e) => e.type === 'error' && /repeating/.test(e.message))).toBe(true);
  });

  it('does not take different broken arguments for the same call repeating', async () => {
    // Each invalid call carries `{}` as its arguments; three different cut-off Echo calls are three attempts, not a loop.
    const broken = (raw: string) => calls(call(`b${Math.random()}`, 'Echo', '{}', { invalid: { raw, error: 'arguments were cut off inside a string' } }));
    const { done, history } = await run(scripted([broken('{"text": "a'), broken('{"text": "ab'), broken('{"text": "abc'), calls(call('ok', 'Echo', { text: 'abc' })), answer('done')]));
    expect(done.reason).toBe('completed');
    const outputs = history.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(outputs.at(-1)).toBe('echo: abc');
    expect(outputs.join('\n')).not.toMatch(/Warning: this is call number/);
  });

  it('warns on the third identical call in a row', async () => {
    const same = () => calls(call(`e${Math.random()}`, 'Echo', { text: 'again' }));
    const { history } = await run(scripted([same(), same(), same(), answer('ok')]));
    const outputs = history.filter((m) => m.role === 'tool').map((m) => m.content);
    expect(outputs[1]).not.toMatch(/Warning/);
    expect(outputs[2]).toMatch(/Warning: this is call number 3/);
  });

  it('stops at max turns', async () => {
    const again = () => calls(call(`e${Math.random()}`, 'Echo', { text: String(Math.random()) }));
    const { done } = await run(scripted([again(), again(), again()]), { maxTurns: 2 });
    expect(done).toMatchObject({ reason: 'max_turns', turns: 2 });
  });

  it('turns a model error into an error event and a failed run', async () => {
    const { done, events } = await run(scripted([[{ type: 'error', kind: 'quota', code: '1113', message: 'Z.ai error 1113: Insufficient balance' }]]));
    expect(done.reason).toBe('error');
    expect(events).toContainEqual({ type: 'error', kind: 'quota', code: '1113', message: 'Z.ai error 1113: Insufficient balance' });
    expect(events.at(-1)?.type).toBe('done');
  });

  it('nudges once after a turn with reasoning but no answer', async () => {
    const empty: ModelEvent[] = [{ type: 'message_end', message: { role: 'assistant', content: '', reasoning: 'hmm' } as AssistantMessage, finishReason: 'stop' }];
    const client = scripted([empty, answer('Here it is.')]);
    const { done, events, history } = await run(client);
    expect(done.text).toBe('Here it is.');
    // Only once: a second reasoning-only turn ends the run with the reasoning as the answer.
    const twice = await run(scripted([empty, empty, answer('never sent')]));
    expect(twice.done).toMatchObject({ reason: 'completed', text: 'hmm', turns: 2 });
    expect(events).toContainEqual({ type: 'user_message', text: expect.stringMatching(/no answer/), synthetic: true });
    expect(historyFromEvents([{ type: 'user_message', text: 'go' }, ...events])).toEqual(history);
    expect(client.requests[1].at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/no answer/) });
  });

  it("stops with the content filter's message on finish_reason sensitive", async () => {
    const blocked: ModelEvent[] = [{ type: 'message_end', message: { role: 'assistant', content: 'x' }, finishReason: 'sensitive' }];
    const { done, events } = await run(scripted([blocked]));
    expect(done.reason).toBe('error');
    expect(events.some((e) => e.type === 'error' && /content filter/.test(e.message))).toBe(true);
  });
});
