import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm, type Profile } from '../support/fake-glm-server.ts';
import { validJsonOnly } from '../../src/model/finish.ts';
import { clientFor, collect, ended, request, texts, weatherTool } from './harness.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const endpoint = (profile: Profile) =>
  profile.startsWith('zai')
    ? { dialect: 'zai' as const, provider: 'zai' as const }
    : { baseURL: fake.v1Url, dialect: profile === 'vllm' ? ('vllm' as const) : ('openrouter' as const), provider: profile === 'vllm' ? ('vllm' as const) : ('openrouter' as const) };

describe('generated streams in every server profile', () => {
  for (const profile of ['zai-2026', 'zai-legacy', 'openrouter', 'vllm'] as const) {
    for (const split of [false, true]) {
      test(`${profile}, ${split ? 'split' : 'whole'} calls: reasoning, preamble and two calls come back intact`, async () => {
        const calls = [
          { name: 'Read', arguments: { file_path: 'src/app.ts' }, id: 'call_aaaaaaaaaaaaaaaaaaaaaaaa' },
          { name: 'Bash', arguments: { command: 'echo "héllo → 北京"', timeout: 5000 }, id: 'call_bbbbbbbbbbbbbbbbbbbbbbbb' },
        ];
        fake.reply(toolCalls(calls, { reasoning: 'I should look first.', content: 'Checking.', split, chunkSize: 3, profile }));
        const events = await collect(clientFor(fake, endpoint(profile)), request('look', [weatherTool]));
        const end = ended(events);
        expect(end.message).toEqual({
          role: 'assistant',
          content: 'Checking.',
          reasoning: 'I should look first.',
          toolCalls: calls.map((c) => ({ id: c.id, name: c.name, arguments: JSON.stringify(c.arguments) })),
        });
        expect(end.finishReason).toBe('tool_calls');
        expect(end.usage?.inputTokens).toBeGreaterThan(0);
        expect(texts(events, 'thinking_delta')).toBe('I should look first.');
      });
    }
  }

  test('text answers in every profile', async () => {
    for (const profile of ['zai-2026', 'zai-legacy', 'openrouter', 'vllm'] as const) {
      fake.reply(text('Plain answer.', { reasoning: 'Short.', profile }));
      const end = ended(await collect(clientFor(fake, endpoint(profile)), request('hi')));
      expect(end.message).toEqual({ role: 'assistant', content: 'Plain answer.', reasoning: 'Short.' });
      expect(end.finishReason).toBe('stop');
    }
  });
});

describe('tool-call arguments', () => {
  test('a duplicated cumulative final delta does not double the arguments', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.ts' } }], { split: true, duplicateFinal: true, chunkSize: 4 }));
    // No repairer: the accumulator itself must drop the echo.
    const end = ended(await collect(clientFor(fake, { repairArguments: validJsonOnly }), request('read', [weatherTool])));
    expect(end.message.toolCalls?.[0]).toMatchObject({ name: 'Read', arguments: '{"file_path":"a.ts"}' });
    expect(end.message.toolCalls?.[0]?.invalid).toBeUndefined();
  });

  test('a call that repeats an earlier call\'s id gets an id of its own, so each result answers one call', async () => {
    fake.reply(toolCalls([
      { name: 'Read', arguments: { file_path: 'a.ts' }, id: 'call_same' },
      { name: 'Read', arguments: { file_path: 'b.ts' }, id: 'call_same' },
    ]));
    const end = ended(await collect(clientFor(fake), request('read both', [weatherTool])));
    const ids = end.message.toolCalls!.map((c) => c.id);
    expect(ids[0]).toBe('call_same');
    expect(ids[1]).toMatch(/^call_[0-9a-f]{24}$/);
    expect(end.message.toolCalls!.map((c) => c.arguments)).toEqual(['{"file_path":"a.ts"}', '{"file_path":"b.ts"}']);
  });

  test('empty arguments become {}', async () => {
    fake.reply(toolCalls([{ name: 'Now', arguments: '' }]));
    const end = ended(await collect(clientFor(fake), request('time?')));
    expect(end.message.toolCalls).toEqual([{ id: expect.stringMatching(/^call_[0-9a-f]{24}$/), name: 'Now', arguments: '{}' }]);
  });

  test('repairable arguments are repaired by repairArguments', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: '{"file_path":"a.ts"}{"file_path":"a.ts"}' }]));
    const end = ended(await collect(clientFor(fake), request('read')));
    expect(end.message.toolCalls?.[0]).toMatchObject({ arguments: '{"file_path":"a.ts"}' });
    expect(end.message.toolCalls?.[0]?.invalid).toBeUndefined();
  });

  test('unrepairable arguments become {} with the raw text and the reason kept', async () => {
    const raw = '{"content": "cut off in the midd';
    fake.reply(toolCalls([{ name: 'Write', arguments: raw }], { finish: 'length' }));
    const end = ended(await collect(clientFor(fake), request('write')));
    expect(end.finishReason).toBe('length');
    const call = end.message.toolCalls?.[0];
    expect(call?.arguments).toBe('{}');
    expect(call?.invalid?.raw).toBe(raw);
    expect(call?.invalid?.error).toMatch(/\S/);
  });

  test('with a valid-JSON-only repairer, anything that does not parse is invalid', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: "{command: 'ls'}" }]));
    const end = ended(await collect(clientFor(fake, { repairArguments: validJsonOnly }), request('ls')));
    expect(end.message.toolCalls?.[0]).toMatchObject({ arguments: '{}', invalid: { raw: "{command: 'ls'}" } });
  });

  test('a stop finish after streamed calls still reports tool_calls', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.ts' } }], { split: true, finish: 'stop' }));
    const end = ended(await collect(clientFor(fake), request('read')));
    expect(end.finishReason).toBe('tool_calls');
    expect(end.message.toolCalls).toHaveLength(1);
  });
});
