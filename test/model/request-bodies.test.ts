import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';
import type { Message, ModelInfo } from '../../src/types.ts';
import { clientFor, collect, ended, fixture, HYBRID, request, weatherTool } from './harness.ts';
import type { ModelClientOptions } from '../../src/model/client.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm({ strict: true });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** Sends one request and returns the raw body the server received. */
async function sent(over: Partial<ModelClientOptions>, messages: Message[] | string = 'List the files in src/', tools = [weatherTool]) {
  fake.reply(text('ok'));
  const events = await collect(clientFor(fake, over), { ...request(messages, tools), system: 'You are a coding agent.' });
  ended(events);
  expect(fake.violations).toEqual([]);
  return fake.calls.at(-1)!;
}

const tool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Get weather information for a location',
    parameters: { type: 'object', properties: { location: { type: 'string', description: 'the city' } }, required: ['location'] },
  },
};
const firstTurn = [
  { role: 'system', content: 'You are a coding agent.' },
  { role: 'user', content: 'List the files in src/' },
];
const always: ModelInfo = { ...HYBRID, thinking: 'always', reasoningEffort: true };

describe('Z.ai body', () => {
  test('agent request with tools and thinking on: exact JSON, key order included', async () => {
    const call = await sent({ temperature: 0.7 });
    expect(call.path).toBe('/api/paas/v4/chat/completions');
    expect(call.raw).toBe(
      JSON.stringify({
        model: 'glm-4.7',
        messages: firstTurn,
        tools: [tool],
        tool_choice: 'auto',
        stream: true,
        stream_options: { include_usage: true },
        tool_stream: true,
        thinking: { type: 'enabled', clear_thinking: false },
        max_tokens: 16384,
        temperature: 0.7,
      }),
    );
    expect(call.headers.authorization).toBe('Bearer test-key');
  });

  test('thinking off and no tools: disabled thinking, no tools/tool_choice/tool_stream, no temperature', async () => {
    const call = await sent({ thinking: false }, 'hi', []);
    expect(call.raw).toBe(
      JSON.stringify({
        model: 'glm-4.7',
        messages: [firstTurn[0], { role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
        thinking: { type: 'disabled' },
        max_tokens: 16384,
      }),
    );
  });

  test('an always-thinking model never gets "disabled"; reasoning_effort only when accepted and chosen', async () => {
    const on = await sent({ model: 'glm-5.3', modelInfo: always, thinking: false, reasoningEffort: 'high' }, 'hi', []);
    expect(on.body.thinking).toEqual({ type: 'enabled', clear_thinking: false });
    expect(on.body.reasoning_effort).toBe('high');
    expect(Object.keys(on.body)).toEqual(['model', 'messages', 'stream', 'stream_options', 'thinking', 'reasoning_effort', 'max_tokens']);

    const unchosen = await sent({ model: 'glm-5.3', modelInfo: always }, 'hi', []);
    expect('reasoning_effort' in unchosen.body).toBe(false);
    const unsupported = await sent({ reasoningEffort: 'high' }, 'hi', []);
    expect('reasoning_effort' in unsupported.body).toBe(false);
  });

  test('a model without thinking gets no thinking field at all', async () => {
    const call = await sent({ modelInfo: { ...HYBRID, thinking: 'none' } }, 'hi', []);
    expect('thinking' in call.body).toBe(false);
  });

  test('the coding endpoint and a key-less client', async () => {
    const call = await sent({ baseURL: fake.codingUrl, provider: 'zai-coding', apiKey: undefined }, 'hi', []);
    expect(call.path).toBe('/api/coding/paas/v4/chat/completions');
    expect(call.headers.authorization).toBe('Bearer not-needed');
  });

  test('history matches the follow-up Z.ai accepted (F8): reasoning_content echoed, arguments as JSON text', async () => {
    const recorded = JSON.parse(fixture('zai-request-stream-tool-followup.json'));
    const [system, user, assistant, result] = recorded.messages;
    const history: Message[] = [
      { role: 'user', content: user.content },
      {
        role: 'assistant',
        content: assistant.content,
        reasoning: assistant.reasoning_content,
        toolCalls: [{ id: 'call_3532c842716b4c72a7dd7498', name: 'weather', arguments: '{"location":"Florence,Italy"}' }],
      },
      { role: 'tool', toolCallId: 'call_3532c842716b4c72a7dd7498', name: 'weather', content: '40 C' },
    ];
    fake.reply(text('ok'));
    ended(await collect(clientFor(fake), { system: system.content, messages: history, tools: [weatherTool] }));
    expect(fake.requests[0].messages).toEqual([system, user, assistant, result]);
    expect(fake.violations).toEqual([]);
  });

  test('parallel calls: results in call order, assistant without reasoning sends "" and no empty tool_calls (F5)', async () => {
    const recorded = JSON.parse(fixture('zai-request-parallel-tool-followup.json'));
    const [, user, assistant, five, six] = recorded.messages;
    const history: Message[] = [
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: user.content },
      {
        role: 'assistant',
        content: assistant.content,
        reasoning: assistant.reasoning_content,
        toolCalls: [
          { id: 'call_-7807255211226955507', name: 'add', arguments: '{"a":2,"b":3}' },
          { id: 'call_-7807255211226955506', name: 'multiply', arguments: '{"a":2,"b":3}' },
        ],
      },
      { role: 'tool', toolCallId: 'call_-7807255211226955507', name: 'add', content: '5' },
      { role: 'tool', toolCallId: 'call_-7807255211226955506', name: 'multiply', content: '6' },
    ];
    const call = await sent({}, history);
    expect(call.body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer', reasoning_content: '' },
      user,
      assistant,
      five,
      six,
    ]);
  });
});

describe('other dialects', () => {
  const history: Message[] = [
    { role: 'user', content: 'Weather in Florence?' },
    {
      role: 'assistant',
      content: '',
      reasoning: 'The user wants to know the weather in Florence, Italy. Let me call the weather function.',
      toolCalls: [{ id: 'call_16efee4b104d451da81ac585', name: 'weather', arguments: '{"location":"Florence, Italy"}' }],
    },
    { role: 'tool', toolCallId: 'call_16efee4b104d451da81ac585', name: 'weather', content: 'Sunny' },
  ];

  test('OpenRouter: reasoning switch, reasoning_details echoed like the recorded follow-up (F25)', async () => {
    const call = await sent({ baseURL: fake.v1Url, dialect: 'openrouter', provider: 'openrouter', model: 'z-ai/glm-4.7' }, history);
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.body.messages[2]).toEqual(JSON.parse(fixture('openrouter-request-assistant-reasoning-details.json')));
    expect(call.raw).toBe(
      JSON.stringify({
        model: 'z-ai/glm-4.7',
        messages: call.body.messages,
        tools: [tool],
        tool_choice: 'auto',
        stream: true,
        stream_options: { include_usage: true },
        reasoning: { enabled: true, exclude: false },
        max_tokens: 16384,
      }),
    );
    const off = await sent({ baseURL: fake.v1Url, dialect: 'openrouter', provider: 'openrouter', thinking: false }, 'hi', []);
    expect(off.body.reasoning).toEqual({ enabled: false, exclude: false });
  });

  test('vLLM and SGLang: chat_template_kwargs, reasoning_content echoed', async () => {
    for (const dialect of ['vllm', 'sglang'] as const) {
      const call = await sent({ baseURL: fake.v1Url, dialect, provider: dialect, thinking: false }, history);
      expect(call.raw).toBe(
        JSON.stringify({
          model: 'glm-4.7',
          messages: call.body.messages,
          tools: [tool],
          tool_choice: 'auto',
          stream: true,
          stream_options: { include_usage: true },
          chat_template_kwargs: { enable_thinking: false, clear_thinking: false },
          max_tokens: 16384,
        }),
      );
      expect(call.body.messages[2]).toEqual({
        role: 'assistant',
        content: '',
        reasoning_content: history[1]!.role === 'assistant' ? history[1]!.reasoning : '',
        tool_calls: [{ id: 'call_16efee4b104d451da81ac585', type: 'function', function: { name: 'weather', arguments: '{"location":"Florence, Italy"}' } }],
      });
    }
  });

  test('Ollama, llama.cpp, generic: no thinking switch at all', async () => {
    for (const dialect of ['ollama', 'llamacpp', 'openai-compatible'] as const) {
      const call = await sent({ baseURL: fake.v1Url, dialect, provider: dialect }, 'hi', []);
      expect(Object.keys(call.body)).toEqual(['model', 'messages', 'stream', 'stream_options', 'max_tokens']);
    }
  });
});

describe('the fake server checks requests', () => {
  test('broken history is recorded as violations and, in strict mode, answered 400 like Z.ai', async () => {
    const res = await fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'glm-4.7',
        stream: false,
        tool_stream: true,
        foo: 1,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'x', arguments: '{bad' } }, { id: 'b', type: 'function', function: { name: 'y', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'b', content: 'B' },
          { role: 'tool', tool_call_id: 'a', content: 'A' },
        ],
      }),
    });
    expect(res.status).toBe(400);
    expect(fake.violations.join('\n')).toMatch(/unknown parameter "foo"/);
    expect(fake.violations.join('\n')).toMatch(/tool_stream without stream:true/);
    expect(fake.violations.join('\n')).toMatch(/no reasoning_content/);
    expect(fake.violations.join('\n')).toMatch(/arguments is not a valid JSON string/);
    expect(fake.violations.join('\n')).toMatch(/tool_call_id is "b", expected "a"/);
  });
});
