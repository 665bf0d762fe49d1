import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { sse, startFakeGlm, type FakeGlm } from '../support/fake-glm-server.ts';
import { clientFor, collect, ended, fixture, request, texts, weatherTool } from './harness.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

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
});
