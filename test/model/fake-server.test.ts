import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

async function raw(path = '/api/paas/v4/chat/completions', body: object = { model: 'glm-4.7', messages: [{ role: 'user', content: 'hi' }], stream: true }) {
  const res = await fetch(`http://127.0.0.1:${fake.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const textBody = await res.text();
  const data = textBody
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  return { res, textBody, data };
}

describe('fake server emission profile zai-2026 (glm-protocol.md §5)', () => {
  test('text: role in every delta, no finish_reason key before the end, usage in the finish chunk, [DONE]', async () => {
    fake.reply(text('Hello!', { reasoning: 'Think.', chunkSize: 3 }));
    const { res, data } = await raw();
    expect(res.headers.get('content-type')).toBe('text/event-stream;charset=UTF-8');
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    for (const c of chunks) {
      expect(Object.keys(c).slice(0, 5)).toEqual(['id', 'created', 'object', 'model', 'choices']);
      expect(c.id).toMatch(/^\d{14}[0-9a-f]{16}$/);
      expect(c.model).toBe('glm-4.7');
      expect(c.choices[0].delta.role).toBe('assistant');
    }
    const body = chunks.slice(0, -1);
    expect(body.every((c) => !('finish_reason' in c.choices[0]) && !('usage' in c))).toBe(true);
    expect(body.map((c) => c.choices[0].delta.reasoning_content ?? c.choices[0].delta.content).join('')).toBe('Think.Hello!');
    const last = chunks.at(-1);
    expect(last.choices[0]).toEqual({ index: 0, finish_reason: 'stop', delta: { role: 'assistant', content: '' } });
    expect(last.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), completion_tokens_details: { reasoning_tokens: 2 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  test('tool calls: whole call in one delta without role, call_<24 hex> ids; split mode fragments by index', async () => {
    fake.reply(toolCalls([{ name: 'Read', arguments: { file_path: 'a.ts' } }]), toolCalls([{ name: 'Read', arguments: { file_path: 'a.ts' } }], { split: true, chunkSize: 5 }));
    const whole = (await raw()).data.slice(0, -1).map((d) => JSON.parse(d));
    expect(whole[0].choices[0].delta).toEqual({
      tool_calls: [{ id: expect.stringMatching(/^call_[0-9a-f]{24}$/), index: 0, type: 'function', function: { name: 'Read', arguments: '{"file_path":"a.ts"}' } }],
    });
    expect(whole.at(-1).choices[0].finish_reason).toBe('tool_calls');
    const split = (await raw()).data.slice(0, -1).map((d) => JSON.parse(d));
    expect(split[0].choices[0].delta.tool_calls[0].function).toEqual({ name: 'Read', arguments: '' });
    expect(split[1].choices[0].delta.tool_calls[0]).toEqual({ index: 0, function: { arguments: '{"fil' } });
  });

  test('function steps see the request; every path is served; unknown paths are 404 and recorded', async () => {
    fake.reply((body) => text(`You said ${body.messages[0].content}`), text('coding'), text('v1'));
    const first = await raw();
    expect(first.textBody).toContain('You said');
    expect((await raw('/api/coding/paas/v4/chat/completions')).res.status).toBe(200);
    expect((await raw('/v1/chat/completions')).res.status).toBe(200);
    expect((await raw('/api/paas/v4/completions')).res.status).toBe(404);
    expect(fake.violations).toEqual(['POST /api/paas/v4/completions: not a chat completions path']);
    expect(fake.calls.map((c) => c.path)).toEqual(['/api/paas/v4/chat/completions', '/api/coding/paas/v4/chat/completions', '/v1/chat/completions']);
  });

  test('an empty script answers a clear 500', async () => {
    const { res, textBody } = await raw();
    expect(res.status).toBe(500);
    expect(textBody).toContain('ran out of replies');
  });
});
