// What a misconfigured server leaves in the text, recovered by the client: GLM tool-call markup in content or
// reasoning becomes real calls, `<think>` in content becomes reasoning, GLM-4-0414 calls are read for those
// models, and none of the markup is ever shown. Streams come from the fake server over a real socket.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { dropBeforeDone, startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import type { Dialect, ModelEvent, ProviderId, ToolSchema } from '../../src/types.ts';
import { clientFor, collect, ended, fixture, request, texts } from './harness.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const getWeather: ToolSchema = {
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' }, date: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
};
const getDate: ToolSchema = { name: 'get_current_date', description: 'Today', parameters: { type: 'object', properties: {} } };
const tools = [getWeather, getDate];

/** A self-hosted server (vLLM profile, `/v1`) of the given dialect. */
const selfHosted = (dialect: Dialect = 'vllm', over: { thinking?: boolean; model?: string } = {}) =>
  clientFor(fake, { baseURL: fake.v1Url, dialect, provider: dialect as ProviderId, ...over });

const MARKUP = /<\/?(tool_call|arg_key|arg_value|think)>|<tool|<arg/;

/** Nothing the user would see (text or reasoning deltas) contains GLM markup. */
function expectNoMarkupShown(events: ModelEvent[]): void {
  expect(texts(events, 'text_delta')).not.toMatch(MARKUP);
  expect(texts(events, 'thinking_delta')).not.toMatch(/<\/?(tool_call|arg_key|arg_value)>/);
}

describe('tool calls written as GLM markup in content', () => {
  test('GLM-4.5/4.6 form with <think> in content (F15), streamed 3 characters at a time', async () => {
    fake.reply(text(fixture('glm45-raw-output-tool-call.txt'), { profile: 'vllm', chunkSize: 3 }));
    const events = await collect(selfHosted(), request('weather?', tools));
    const end = ended(events);
    expect(end.finishReason).toBe('tool_calls');
    expect(end.message).toEqual({
      role: 'assistant',
      content: '\nI will help you get the weather.\n',
      reasoning: 'The user wants the weather. I should call get_weather.',
      toolCalls: [{ id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'get_weather', arguments: '{"city":"Beijing","date":"2025-08-01"}' }],
    });
    expectNoMarkupShown(events);
    // What was shown is what is kept.
    expect(texts(events, 'text_delta')).toBe(end.message.content);
    expect(texts(events, 'thinking_delta')).toBe(end.message.reasoning);
  });

  test('GLM-4.7 form: the stream starts inside reasoning and only has </think> (F15)', async () => {
    fake.reply(text(fixture('glm47-raw-output-tool-call.txt'), { profile: 'vllm', chunkSize: 5 }));
    const events = await collect(selfHosted('vllm', { thinking: true }), request('weather?', tools));
    const end = ended(events);
    expect(end.message).toMatchObject({ content: 'Checking.', reasoning: 'The user wants the weather.' });
    expect(end.message.toolCalls).toMatchObject([{ name: 'get_weather', arguments: '{"city":"Beijing"}' }]);
    expectNoMarkupShown(events);
  });

  test('zero-argument calls and values typed by the tool schema', async () => {
    const raw =
      '<tool_call>get_current_date</tool_call>' +
      '<tool_call>get_weather<arg_key>city</arg_key><arg_value>2025</arg_value><arg_key>days</arg_key><arg_value>3</arg_value></tool_call>';
    fake.reply(text(raw, { profile: 'vllm', reasoning: 'Two calls.', chunkSize: 4 }));
    const events = await collect(selfHosted(), request('weather?', tools));
    const end = ended(events);
    expect(end.message.content).toBe('');
    expect(end.message.toolCalls?.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['get_current_date', {}],
      ['get_weather', { city: '2025', days: 3 }],
    ]);
    expect(texts(events, 'text_delta')).toBe('');
  });

  test('the GLM-5.3-Flash JSON form (F15) with a namespaced tool name', async () => {
    const weather: ToolSchema = { name: 'get_weather_by_city', description: 'w', parameters: { type: 'object', properties: { location: { type: 'string' } } } };
    fake.reply(text(fixture('glm53flash-raw-output-json-form.txt'), { profile: 'vllm', reasoning: 'Look it up.' }));
    const end = ended(await collect(selfHosted('sglang'), request('weather?', [weather])));
    expect(end.message.toolCalls).toMatchObject([{ name: 'get_weather_by_city', arguments: '{"location":"Beijing"}' }]);
    expect(end.message.content).toBe('');
  });

  test('markup leaking on a Z.ai or OpenRouter endpoint is recovered too', async () => {
    fake.reply(text('On it.<tool_call>get_current_date</tool_call>', { reasoning: 'Date first.' }));
    const end = ended(await collect(clientFor(fake), request('date?', tools)));
    expect(end.message).toMatchObject({ content: 'On it.', toolCalls: [{ name: 'get_current_date', arguments: '{}' }] });
  });

  test('a structured call wins: markup beside it is neither run nor shown', async () => {
    fake.reply(toolCalls([{ name: 'get_current_date', arguments: {} }], { content: 'A<tool_call>get_weather<arg_key>city</arg_key><arg_value>X</arg_value></tool_call>B', reasoning: 'r' }));
    const events = await collect(clientFor(fake), request('date?', tools));
    const end = ended(events);
    expect(end.message.content).toBe('AB');
    expect(end.message.toolCalls?.map((c) => c.name)).toEqual(['get_current_date']);
    expectNoMarkupShown(events);
  });

  test('without tools in the request, markup is just text', async () => {
    const raw = 'Write <tool_call>get_current_date</tool_call> to call it.';
    fake.reply(text(raw, { reasoning: 'Explain.' }));
    const end = ended(await collect(clientFor(fake), request('how do GLM calls look?')));
    expect(end.message.content).toBe(raw);
    expect(end.message.toolCalls).toBeUndefined();
  });

  test('a call cut off by the output limit becomes an invalid call the loop reports', async () => {
    fake.reply(text('Writing.<tool_call>get_weather<arg_key>city</arg_key><arg_value>Bei', { profile: 'vllm', reasoning: 'r', finish: 'length' }));
    const events = await collect(selfHosted(), request('weather?', tools));
    const end = ended(events);
    expect(end.finishReason).toBe('length');
    expect(end.message.content).toBe('Writing.');
    expect(end.message.toolCalls).toMatchObject([
      { name: 'get_weather', arguments: '{}', invalid: { raw: expect.stringContaining('<arg_value>Bei'), error: expect.stringContaining('cut off by the output limit') } },
    ]);
    expectNoMarkupShown(events);
  });
});

describe('retries', () => {
  test('a retried attempt starts the recovery over: half a call from the dropped attempt is forgotten', async () => {
    fake.reply(dropBeforeDone({ content: 'Hi <tool_call>get_current_da', profile: 'vllm', reasoning: 'r', chunkSize: 4 }), text('Fine.', { profile: 'vllm', reasoning: 'r' }));
    const events = await collect(selfHosted(), request('date?', tools));
    const end = ended(events);
    expect(end.message).toEqual({ role: 'assistant', content: 'Fine.', reasoning: 'r' });
    const retry = events.findIndex((e) => e.type === 'retry');
    expect(retry).toBeGreaterThan(0);
    expect(texts(events.slice(0, retry), 'text_delta')).toBe('Hi ');
    expect(texts(events.slice(retry), 'text_delta')).toBe('Fine.');
  });
});

describe('tool calls inside reasoning', () => {
  test('a whole block and a body whose <tool_call> token was stripped (vLLM test_glm45_fix)', async () => {
    const reasoning = 'I need the date.<tool_call>get_current_date</tool_call>';
    fake.reply(text('', { profile: 'vllm', reasoning }));
    const events = await collect(selfHosted(), request('date?', tools));
    const end = ended(events);
    expect(end.message).toMatchObject({ content: '', reasoning: 'I need the date.', toolCalls: [{ name: 'get_current_date', arguments: '{}' }] });
    expect(end.finishReason).toBe('tool_calls');
    expectNoMarkupShown(events);

    fake.reply(text('', { profile: 'vllm', reasoning: 'List it.\nget_weather<arg_key>city</arg_key><arg_value>Oslo</arg_value></tool_call>' }));
    const stripped = ended(await collect(selfHosted(), request('weather?', tools)));
    expect(stripped.message).toMatchObject({ reasoning: 'List it.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
  });
});

describe('<think> in content', () => {
  test('Z.ai: split only when the content starts with <think>', async () => {
    fake.reply(text('<think></think>\nHi.'), text('Use </think> to close a block.', { reasoning: 'r' }));
    const split = ended(await collect(clientFor(fake), request('hi')));
    expect(split.message).toEqual({ role: 'assistant', content: '\nHi.' });
    const kept = ended(await collect(clientFor(fake), request('hi')));
    expect(kept.message.content).toBe('Use </think> to close a block.');
  });

  test('Ollama/llama.cpp without a reasoning parser: reasoning</think>answer is split while streaming', async () => {
    fake.reply(text('Think a bit.</think>The answer is 4.', { profile: 'vllm', chunkSize: 4 }));
    const events = await collect(selfHosted('ollama', { thinking: true }), request('2+2'));
    expect(ended(events).message).toEqual({ role: 'assistant', content: 'The answer is 4.', reasoning: 'Think a bit.' });
    expect(texts(events, 'thinking_delta')).toBe('Think a bit.');
    expect(texts(events, 'text_delta')).toBe('The answer is 4.');
  });

  test('a self-hosted answer with no reasoning at all stays the answer', async () => {
    fake.reply(text('Just 4.', { profile: 'vllm' }));
    const events = await collect(selfHosted('llamacpp', { thinking: true }), request('2+2'));
    expect(ended(events).message).toEqual({ role: 'assistant', content: 'Just 4.' });
    expect(texts(events, 'text_delta')).toBe('Just 4.');
  });

  test('with thinking off, content is never taken for reasoning', async () => {
    fake.reply(text('Plain </think> text.', { profile: 'vllm' }));
    const end = ended(await collect(selfHosted('openai-compatible', { thinking: false }), request('x')));
    expect(end.message).toEqual({ role: 'assistant', content: 'Plain </think> text.' });
  });
});

describe('GLM-4-0414 / Z1 calls (name, newline, JSON)', () => {
  const raw = 'get_weather\n{"city": "Beijing", "days": 2}';

  test('read as a call when the model id says so, never shown', async () => {
    fake.reply(text(raw, { profile: 'vllm', chunkSize: 3 }));
    const events = await collect(selfHosted('vllm', { model: 'zai-org/GLM-4-32B-0414', thinking: false }), request('weather?', tools));
    const end = ended(events);
    expect(end.message.toolCalls).toMatchObject([{ name: 'get_weather', arguments: '{"city":"Beijing","days":2}' }]);
    expect(end.message.content).toBe('');
    expect(texts(events, 'text_delta')).toBe('');
  });

  test('an ordinary answer from such a model streams as usual', async () => {
    fake.reply(text('get the weather from a service.', { profile: 'vllm', chunkSize: 3 }));
    const events = await collect(selfHosted('vllm', { model: 'glm-z1-32b-0414', thinking: false }), request('how?', tools));
    expect(ended(events).message).toEqual({ role: 'assistant', content: 'get the weather from a service.' });
    expect(texts(events, 'text_delta')).toBe('get the weather from a service.');
  });

  test('other models keep the text', async () => {
    fake.reply(text(raw, { profile: 'vllm' }));
    const end = ended(await collect(selfHosted('vllm', { model: 'glm-4.7', thinking: false }), request('weather?', tools)));
    expect(end.message).toEqual({ role: 'assistant', content: raw });
  });
});
