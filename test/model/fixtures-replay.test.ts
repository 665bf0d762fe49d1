import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sse, text, startFakeGlm, type FakeGlm } from '../support/fake-glm-server.ts';
import { clientFor, collect, ended, fixture, request, texts, weatherTool } from './harness.ts';
import type { ModelEvent } from '../../src/types.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());

const frame = (...chunks: string[]): string => chunks.map((c) => `data: ${c}\n\n`).join('');
const toolDeltas = (events: ModelEvent[]) => events.filter((e) => e.type === 'tool_call_delta');

describe('recorded Z.ai streams replayed byte for byte', () => {
  test('reasoning then content, usage in the finish chunk (F7)', async () => {
    fake.reply(sse(fixture('zai-stream-reasoning-text.sse')));
    const events = await collect(clientFor(fake), request('Say hi in Portuguese'));
    const end = ended(events);
    expect(end.message).toEqual({ role: 'assistant', content: '**Olá', reasoning: '1.' });
    expect(end.finishReason).toBe('stop');
    expect(end.usage).toEqual({ inputTokens: 15, outputTokens: 734, cachedTokens: 14, reasoningTokens: 708 });
    expect(texts(events, 'thinking_delta')).toBe('1.');
    expect(texts(events, 'text_delta')).toBe('**Olá');
  });

  test('whole tool call in one delta, after reasoning and preamble text (F8)', async () => {
    fake.reply(sse(fixture('zai-stream-tool-call-whole.sse')));
    const events = await collect(clientFor(fake), request("What's the weather in Florence,Italy?", [weatherTool]));
    const end = ended(events);
    expect(end.message).toEqual({
      role: 'assistant',
      content: "I'll.",
      reasoning: 'The user',
      toolCalls: [{ id: 'call_3532c842716b4c72a7dd7498', name: 'weather', arguments: '{"location":"Florence,Italy"}' }],
    });
    expect(end.finishReason).toBe('tool_calls');
    expect(end.usage).toEqual({ inputTokens: 173, outputTokens: 93, cachedTokens: 172, reasoningTokens: 65 });
    expect(toolDeltas(events)).toEqual([
      { type: 'tool_call_delta', index: 0, id: 'call_3532c842716b4c72a7dd7498', name: 'weather', argumentsDelta: '{"location":"Florence,Italy"}' },
    ]);
  });

  test('tool_stream fragments keyed by index, cut at arbitrary bytes (F11)', async () => {
    // 7-byte writes split JSON, SSE framing and the UTF-8 bytes of 北京.
    fake.reply(sse(fixture('zai-stream-tool-call-split.sse'), { chunkBytes: 7 }));
    const events = await collect(clientFor(fake), request('Weather in Beijing?', [weatherTool]));
    const end = ended(events);
    expect(end.message.toolCalls).toEqual([{ id: 'call_3532c842716b4c72a7dd7498', name: 'weather', arguments: '{"location":"北京"}' }]);
    expect(end.message.content).toBe('');
    expect(end.message.reasoning).toBeUndefined();
    expect(toolDeltas(events).map((e) => e.type === 'tool_call_delta' && [e.index, e.id, e.name, e.argumentsDelta])).toEqual([
      [0, 'call_3532c842716b4c72a7dd7498', 'weather', ''],
      [0, undefined, undefined, '{"loc'],
      [0, undefined, undefined, 'ation":"北京"}'],
    ]);
    expect(end.usage).toEqual({ inputTokens: 173, outputTokens: 40, cachedTokens: 0, reasoningTokens: 20 });
  });

  test('parallel tool calls, one whole call per chunk (F9)', async () => {
    fake.reply(sse(fixture('zai-stream-parallel-tool-calls.sse')));
    const end = ended(await collect(clientFor(fake), request('Add and multiply 2 and 3')));
    expect(end.message.toolCalls).toEqual([
      { id: 'call_4f8cb52342424eb9bbc1b20e', name: 'add', arguments: '{"a":2,"b":3}' },
      { id: 'call_0d06add371834452b339ffdb', name: 'multiply', arguments: '{"a":2,"b":3}' },
    ]);
    expect(end.finishReason).toBe('tool_calls');
    expect(end.usage?.reasoningTokens).toBe(64);
  });

  test('forced tool with empty content (F10)', async () => {
    fake.reply(sse(fixture('zai-stream-forced-tool.sse')));
    const end = ended(await collect(clientFor(fake), request('Make a person')));
    expect(end.message).toEqual({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'call_010379f2abac48dfaf05ba93', name: 'Person', arguments: '{"age":30,"city":"Paris","name":"Alice"}' }],
    });
    expect(end.usage).toEqual({ inputTokens: 225, outputTokens: 101, cachedTokens: 224, reasoningTokens: 78 });
  });

  test('follow-up tail ends the turn on stop (F8)', async () => {
    fake.reply(sse(fixture('zai-stream-tool-followup-tail.sse')));
    const end = ended(await collect(clientFor(fake), request('go on')));
    expect(end.message).toEqual({ role: 'assistant', content: '.' });
    expect(end.finishReason).toBe('stop');
    expect(end.usage).toEqual({ inputTokens: 272, outputTokens: 156, cachedTokens: 43, reasoningTokens: 90 });
  });

  test('a corrupt SSE line is retried, not fatal (F13)', async () => {
    fake.reply(sse(fixture('zai-stream-corrupt-concatenated.sse')), text('Recovered.'));
    const events = await collect(clientFor(fake), request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(ended(events).message.content).toBe('Recovered.');
  });
});

describe('other servers', () => {
  test('OpenRouter: comments, reasoning + reasoning_details once, split call, double finish (F24)', async () => {
    fake.reply(sse(fixture('openrouter-stream-tool-call.sse')));
    const client = clientFor(fake, { baseURL: fake.v1Url, dialect: 'openrouter', provider: 'openrouter', model: 'z-ai/glm-5-turbo' });
    const events = await collect(client, request('Weather in Florence?', [weatherTool]));
    const end = ended(events);
    expect(end.message).toEqual({
      role: 'assistant',
      content: '',
      reasoning: 'The',
      toolCalls: [{ id: 'call_9400b8b3405c4d74b5b97e12', name: 'weather', arguments: '{"location":"Florence, Italy"}' }],
    });
    expect(end.finishReason).toBe('tool_calls');
    expect(end.usage).toEqual({ inputTokens: 173, outputTokens: 33, cachedTokens: 128, reasoningTokens: 19, cost: 0.00021672 });
  });

  test('vLLM: spaced arguments, unknown choice fields, no usage, no [DONE] after the finish (F21)', async () => {
    fake.reply(sse(fixture('vllm-glm46-stream-tool-call.sse')));
    const client = clientFor(fake, { baseURL: fake.v1Url, dialect: 'vllm', provider: 'vllm', model: 'zai-org/GLM-4.6' });
    const events = await collect(client, request('list deployments'));
    const end = ended(events);
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(end.message.toolCalls).toEqual([
      {
        id: 'chatcmpl-tool-9e3c12e00d494ab49bd59359e9c231bb',
        name: 'kubectl',
        arguments: '{"command": "kubectl get deployments --all-namespaces", "modifies_resource": "no"}',
      },
    ]);
    expect(end.usage).toBeUndefined();
  });
});

describe('usage placement and chunk shapes (F12, F13)', () => {
  const legacy = fixture('zai-legacy-glm46-chunk-no-object.json');
  const docsFinish = fixture('zai-docs-stream-finish-chunk-usage.json');
  const usageOnly = fixture('gateway-glm46-stream-usage-only-chunk.json');
  const bareFinish = '{"id":"1","created":1677652288,"model":"glm-4.6","choices":[{"index":0,"finish_reason":"stop","delta":{"role":"assistant","content":""}}]}';

  test('chunks without "object", usage in the finish chunk', async () => {
    fake.reply(sse(frame(legacy, docsFinish) + 'data: [DONE]\n\n'));
    const end = ended(await collect(clientFor(fake), request('hi')));
    expect(end.message.content).toBe('\n');
    expect(end.usage).toEqual({ inputTokens: 8, outputTokens: 262, cachedTokens: 0, reasoningTokens: 0 });
  });

  test('usage only in a trailing choices:[] chunk', async () => {
    fake.reply(sse(frame(legacy, bareFinish, usageOnly) + 'data: [DONE]\n\n'));
    const end = ended(await collect(clientFor(fake), request('hi')));
    expect(end.finishReason).toBe('stop');
    expect(end.usage).toEqual({ inputTokens: 9, outputTokens: 1024, cachedTokens: 7, reasoningTokens: 0 });
  });

  test('usage in both: the later one wins; missing [DONE] after a finish is fine', async () => {
    fake.reply(sse(frame(legacy, docsFinish, usageOnly)));
    const events = await collect(clientFor(fake), request('hi'));
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(ended(events).usage?.inputTokens).toBe(9);
  });

  test('no usage at all', async () => {
    fake.reply(sse(frame(legacy, bareFinish) + 'data: [DONE]\n\n'));
    const end = ended(await collect(clientFor(fake), request('hi')));
    expect(end.usage).toBeUndefined();
    expect(end.finishReason).toBe('stop');
  });
});
