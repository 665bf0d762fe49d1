import { createServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { corruptLine, dropBeforeDone, error, finish, idle, sse, startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { activeSlots } from '../../src/model/semaphore.ts';
import { clientFor, collect, ended, failed, fixture, request, texts } from './harness.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const json = (name: string): unknown => JSON.parse(fixture(name));

describe('business errors', () => {
  test('1302 is retried with retry events, honouring retry-after, then succeeds', async () => {
    const busy = json('zai-error-1302.json');
    fake.reply(error(429, busy, { 'retry-after-ms': '25' }), error(429, busy, { 'retry-after': '0' }), text('Done.'));
    const events = await collect(clientFor(fake), request('hi'));
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toEqual([
      { type: 'retry', attempt: 2, maxAttempts: 4, delayMs: 25, reason: expect.stringContaining('Z.ai error 1302: High concurrency usage') },
      { type: 'retry', attempt: 3, maxAttempts: 4, delayMs: 0, reason: expect.stringContaining('(request 20260212064144579f5b8f457f4e06)') },
    ]);
    expect(ended(events).message.content).toBe('Done.');
    expect(fake.requests).toHaveLength(3);
  });

  test('1302 that outlasts the retries ends as rate_limit with code, status and request id', async () => {
    const busy = json('zai-error-1302.json');
    fake.reply(error(429, busy), error(429, busy), error(429, busy));
    const err = failed(await collect(clientFor(fake, { maxRetries: 2 }), request('hi')));
    expect(err).toMatchObject({ kind: 'rate_limit', code: '1302', status: 429, requestId: '20260212064144579f5b8f457f4e06' });
    expect(err.message).toContain('gave up after 2 retries');
    expect(fake.requests).toHaveLength(3);
  });

  test('1113 fails fast and names the wrong-endpoint cause (pay-as-you-go provider)', async () => {
    fake.reply(error(429, json('zai-error-1113.json')));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'quota', code: '1113', status: 429 });
    expect(err.message).toContain('Z.ai error 1113: Insufficient balance or no resource package. Please recharge.');
    expect(err.message).toContain(
      'insufficient balance or no resource package — or a Coding Plan key used on the pay-as-you-go endpoint (use --provider zai-coding)',
    );
    expect(fake.requests).toHaveLength(1);
  });

  test('1113 on the Coding Plan endpoint points the other way', async () => {
    fake.reply(error(429, json('zai-error-1113.json')));
    const err = failed(await collect(clientFor(fake, { baseURL: fake.codingUrl, provider: 'zai-coding' }), request('hi')));
    expect(err.kind).toBe('quota');
    expect(err.message).toContain('a pay-as-you-go key used on the Coding Plan endpoint (use --provider zai)');
    expect(fake.calls.at(-1)?.path).toBe('/api/coding/paas/v4/chat/completions');
  });

  test('Anthropic-envelope 1113 (code in error.type) is read too', async () => {
    fake.reply(error(429, json('zai-anthropic-error-1113.json')));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'quota', code: '1113' });
    expect(fake.requests).toHaveLength(1);
  });

  test('unwrapped 1210 (HTTP 400) is a bad request, not retried', async () => {
    fake.reply(error(400, json('zai-error-1210-unwrapped.json')));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'bad_request', code: '1210', status: 400 });
    expect(err.message).toBe('Z.ai error 1210: Invalid API parameter, please check the documentation.');
    expect(fake.requests).toHaveLength(1);
  });

  test('1211 (no such model) says to check the model id', async () => {
    fake.reply(error(400, { error: { code: '1211', message: '模型不存在，请检查模型代码。' } }));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'bad_request', code: '1211' });
    expect(err.message).toBe('Z.ai error 1211: 模型不存在，请检查模型代码。 Check the model id (--model, /model or "model" in settings.json).');
  });

  test('numeric code 1001 is compared as a string: auth', async () => {
    fake.reply(error(400, json('zai-error-1001-numeric.json')));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'auth', code: '1001', status: 400, message: 'Z.ai error 1001: Invalid request. Check the API key for this provider.' });
  });

  test('1002 invalid token (401) is auth', async () => {
    fake.reply(error(401, json('zai-error-1002.json')));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'auth', code: '1002', status: 401 });
    expect(err.message).toBe('Z.ai error 1002: Authorization Token非法，请确认Authorization Token正确传递。 Check the API key for this provider.');
  });

  test('a usage cap (1308) shows the server message verbatim, with its reset time', async () => {
    const message = 'Usage limit reached for 5 hour. Your limit will reset at 2026-11-24 03:15:00';
    fake.reply(error(429, { error: { code: '1308', message } }));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'quota', code: '1308' });
    expect(err.message).toBe(`Z.ai error 1308: ${message}`);
  });

  test('1261 and a 400 about context length are context errors; 1301 is sensitive', async () => {
    fake.reply(
      error(400, { error: { code: '1261', message: 'Prompt exceeds max length' } }),
      error(400, { error: { message: "This model's maximum context length is 131072 tokens." } }),
      error(400, { error: { code: '1301', message: 'unsafe content' } }),
    );
    const client = clientFor(fake);
    const zai = failed(await collect(client, request('a')));
    expect(zai).toMatchObject({ kind: 'context', code: '1261', status: 400 });
    expect(zai.message).toMatch(/^The conversation no longer fits glm-4\.7's context window of 204,800 tokens \(about \d+ tokens, 0% of it\)\. Start a new session, or use \/compact/);
    expect(zai.message).toContain('Z.ai error 1261: Prompt exceeds max length');
    const vllm = failed(await collect(client, request('b')));
    expect(vllm.kind).toBe('context');
    expect(vllm.message).toContain("maximum context length is 131072 tokens");
    expect(failed(await collect(client, request('c'))).kind).toBe('sensitive');
    expect(fake.requests).toHaveLength(3);
  });

  test('a plain 401 is auth; a 500 without a code is retried', async () => {
    fake.reply(error(401, 'Unauthorized'), error(500, { error: { message: 'boom' } }), error(503, '<html>busy</html>'), text('ok'));
    const client = clientFor(fake);
    const err = failed(await collect(client, request('a')));
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    // The server's text, then the hint as a sentence of its own.
    expect(err.message).toBe('Z.ai returned HTTP 401: Unauthorized. Check the API key for this provider.');
    const events = await collect(client, request('b'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
    expect(ended(events).message.content).toBe('ok');
  });

  test('an error event inside the stream is classified by its code', async () => {
    fake.reply(sse('data: {"error":{"code":"1301","message":"System detected potentially unsafe content"}}\n\n'));
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err).toMatchObject({ kind: 'sensitive', code: '1301' });
    expect(fake.requests).toHaveLength(1);
  });

  test('when the script runs out, the fake server says so (and the client does not retry)', async () => {
    const err = failed(await collect(clientFor(fake), request('hi')));
    expect(err.message).toContain('the test script ran out of replies');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('stream faults', () => {
  test('an idle stream is aborted and retried; the retry restarts the answer', async () => {
    fake.reply(idle(30_000, { content: 'Stalled' }), text('Fresh answer.'));
    const events = await collect(clientFor(fake, { idleTimeoutMs: 300 }), request('hi'));
    const at = events.findIndex((e) => e.type === 'retry');
    expect(at).toBeGreaterThan(0);
    expect(texts(events.slice(0, at), 'text_delta')).toBe('Stalled');
    expect(events[at]).toMatchObject({ reason: expect.stringContaining('stalled') });
    expect(texts(events.slice(at), 'text_delta')).toBe('Fresh answer.');
    expect(ended(events).message.content).toBe('Fresh answer.');
  });

  test('SSE comments keep a slow stream alive: complete blocks, comments included, count against the idle timeout', async () => {
    const keepAlive = ': OPENROUTER PROCESSING\n\n'.repeat(6);
    const answer = 'data: {"choices":[{"index":0,"delta":{"content":"Late but fine."},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    fake.reply(sse(keepAlive + answer, { delayMs: 100 }));
    const events = await collect(clientFor(fake, { idleTimeoutMs: 250 }), request('hi'));
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(ended(events).message.content).toBe('Late but fine.');
  });

  test('a server trickling bytes (never a complete event within the idle timeout) times out and is retried', async () => {
    const answer = 'data: {"choices":[{"index":0,"delta":{"content":"Trickled."},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    // One byte every 20 ms: bytes keep arriving well inside the 300 ms idle timeout, a whole event never does.
    fake.reply(sse(answer, { chunkBytes: 1, delayMs: 20 }), text('Fresh.'));
    const events = await collect(clientFor(fake, { idleTimeoutMs: 300 }), request('hi'));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: expect.stringContaining('no complete event for 0.3 s') });
    expect(ended(events).message.content).toBe('Fresh.');
  });

  test('keep-alive comments for ever hit the whole-response deadline and are retried', async () => {
    fake.reply(sse(': still working\n\n'.repeat(100), { delayMs: 50 }), text('At last.'));
    const events = await collect(clientFor(fake, { idleTimeoutMs: 300, responseTimeoutMs: 600 }), request('hi'));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: expect.stringContaining('did not finish within 0.6 s (responseTimeoutMs)') });
    expect(ended(events).message.content).toBe('At last.');
  });

  test('a server that finished but never closes the stream is not waited on for the whole idle timeout', async () => {
    const finished = 'data: {"choices":[{"index":0,"delta":{"content":"Done."},"finish_reason":"stop"}]}\n\n';
    fake.reply(sse(finished, { holdOpenMs: 60_000 }));
    // With a 60 s idle timeout this only ends within the test timeout because of the short after-finish grace.
    const events = await collect(clientFor(fake, { idleTimeoutMs: 60_000 }), request('hi'));
    expect(events.some((e) => e.type === 'retry')).toBe(false);
    expect(ended(events).message.content).toBe('Done.');
  });

  test('a corrupt SSE line is retried', async () => {
    fake.reply(corruptLine(), text('Clean.'));
    const events = await collect(clientFor(fake), request('hi'));
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: expect.stringContaining('corrupt') });
    expect(ended(events).message.content).toBe('Clean.');
  });

  test('a connection dropped before the finish is retried', async () => {
    fake.reply(dropBeforeDone({ reasoning: 'thinking…' }), text('Second try.', { reasoning: 'again' }));
    const events = await collect(clientFor(fake), request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(ended(events).message).toEqual({ role: 'assistant', content: 'Second try.', reasoning: 'again' });
  });

  test('finish_reason network_error is retried; when it persists the turn fails as network', async () => {
    fake.reply(finish('network_error'), text('Recovered.'));
    const events = await collect(clientFor(fake), request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(ended(events).message.content).toBe('Recovered.');

    fake.reply(finish('network_error'), finish('network_error'));
    const err = failed(await collect(clientFor(fake, { maxRetries: 1 }), request('hi')));
    expect(err.kind).toBe('network');
    expect(err.message).toContain('network_error');
  });

  test('sensitive, length and unknown finishes end the message as such; a full context window is an error', async () => {
    const usage = { prompt_tokens: 200_000, completion_tokens: 4_700, total_tokens: 204_700 };
    fake.reply(
      finish('sensitive', { content: 'Blocked' }),
      finish('length'),
      finish('model_context_window_exceeded', { usage }),
      finish('something_new', { content: 'Fine' }),
    );
    const client = clientFor(fake);
    const sensitive = await collect(client, request('a'));
    expect(sensitive.some((e) => e.type === 'retry')).toBe(false);
    expect(ended(sensitive)).toMatchObject({ finishReason: 'sensitive', message: { content: 'Blocked' } });
    expect(ended(await collect(client, request('b'))).finishReason).toBe('length');
    const full = failed(await collect(client, request('c')));
    expect(full).toMatchObject({ kind: 'context', code: 'model_context_window_exceeded' });
    expect(full.message).toBe(
      "The conversation no longer fits glm-4.7's context window of 204,800 tokens (204,700 tokens, 100% of it). " +
        'Start a new session, or use /compact to summarise this one, then try again.',
    );
    expect(ended(await collect(client, request('d'))).finishReason).toBe('stop');
  });

  test('a refused connection (a local server that is down) fails at once, naming the URL and the fix', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = clientFor(fake, { baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 3, provider: 'vllm' });
    const events = await collect(client, request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    const err = failed(events);
    expect(err.kind).toBe('network');
    expect(err.message).toBe(
      `vLLM (http://127.0.0.1:${port}/v1): could not connect (connect ECONNREFUSED 127.0.0.1:${port}): nothing is listening there; start the server or fix the base URL`,
    );
  });

  /** A fetch that fails to connect the way Node's does, with `code` at the bottom of the cause chain. */
  const failingFetch = (code: string) => async () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} glm.invalid`), { code }) });
  };

  test('an unknown host fails at once too', async () => {
    const client = clientFor(fake, { baseURL: 'http://glm.invalid/v1', maxRetries: 3, fetch: failingFetch('ENOTFOUND') });
    const events = await collect(client, request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    expect(failed(events).message).toMatch(/^Z\.ai \(http:\/\/glm\.invalid\/v1\): could not connect \(getaddrinfo ENOTFOUND glm\.invalid\): no such host; fix the base URL$/);
  });

  test('a failure to connect that can pass (DNS not answering) is retried', async () => {
    const client = clientFor(fake, { baseURL: 'http://glm.invalid/v1', maxRetries: 1, fetch: failingFetch('EAI_AGAIN') });
    const events = await collect(client, request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(failed(events).message).toContain('gave up after 1 retry');
    const once = await collect(clientFor(fake, { baseURL: 'http://glm.invalid/v1', maxRetries: 1, fetch: failingFetch('EAI_AGAIN'), retryUnreachable: false }), request('hi'));
    expect(once.filter((e) => e.type === 'retry')).toHaveLength(0);
  });

  test('with retryUnreachable: false (the pre-commit review) an unreachable server fails at once', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = clientFor(fake, { baseURL: `http://127.0.0.1:${port}/api/paas/v4`, maxRetries: 3, retryUnreachable: false });
    const events = await collect(client, request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    const err = failed(events);
    expect(err.kind).toBe('network');
    expect(err.message).toMatch(/could not connect \(connect ECONNREFUSED/);
    expect(err.message).not.toContain('gave up');
  });

  test('retryUnreachable: false still retries a connection that was made and then dropped', async () => {
    const dropper = createNetServer((socket) => socket.destroy());
    await new Promise<void>((r) => dropper.listen(0, '127.0.0.1', r));
    const port = (dropper.address() as AddressInfo).port;
    try {
      const client = clientFor(fake, { baseURL: `http://127.0.0.1:${port}/api/paas/v4`, maxRetries: 1, retryUnreachable: false });
      const events = await collect(client, request('hi'));
      expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
      expect(failed(events).message).toContain('gave up after 1 retry');
    } finally {
      await new Promise<void>((r) => dropper.close(() => r()));
    }
  });

  test('retryUnreachable: false still retries a server that answers busy', async () => {
    const busy = json('zai-error-1302.json');
    fake.reply(error(429, busy, { 'retry-after-ms': '1' }), text('Done.'));
    const events = await collect(clientFor(fake, { retryUnreachable: false }), request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(1);
    expect(ended(events).message.content).toBe('Done.');
  });

  test('a port fetch refuses to use (6000) fails at once and says to pick another port', async () => {
    const client = clientFor(fake, { baseURL: 'http://127.0.0.1:6000/v1', maxRetries: 3 });
    const events = await collect(client, request('hi'));
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    const err = failed(events);
    expect(err.kind).toBe('network');
    expect(err.message).toContain('refuses to use port 6000');
    expect(err.message).toContain('run the server on another port');
  });
});

describe('abort', () => {
  test('abort mid-stream ends with one aborted error, promptly', async () => {
    fake.reply(text('One two three four five six seven eight nine ten.', { chunkSize: 1, delayMs: 20 }));
    const controller = new AbortController();
    const events = [];
    for await (const e of clientFor(fake).stream(request('count'), controller.signal)) {
      events.push(e);
      if (e.type === 'text_delta') controller.abort();
    }
    expect(failed(events).kind).toBe('aborted');
    expect(events.filter((e) => e.type === 'text_delta')).toHaveLength(1);
  });

  test('abort during the backoff wait ends with aborted, not the next attempt', async () => {
    fake.reply(error(500, { error: { code: '500', message: 'internal' } }));
    const controller = new AbortController();
    const events = [];
    for await (const e of clientFor(fake, { retryBaseDelayMs: 60_000 }).stream(request('hi'), controller.signal)) {
      events.push(e);
      if (e.type === 'retry') controller.abort();
    }
    expect(events.map((e) => e.type)).toEqual(['retry', 'error']);
    expect(failed(events).kind).toBe('aborted');
    expect(fake.requests).toHaveLength(1);
  });

  test('a consumer that stops reading releases the request and its concurrency slot', async () => {
    fake.reply(idle(60_000, { content: 'first' }), text('next'));
    const client = clientFor(fake, { concurrency: 1, model: 'glm-break-test' });
    for await (const e of client.stream(request('one'), new AbortController().signal)) {
      if (e.type === 'text_delta') break;
    }
    expect(activeSlots(`${fake.url}\u0000glm-break-test`)).toBe(0);
    expect(ended(await collect(client, request('two'))).message.content).toBe('next');
  });

  test('an already-aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const events = await collect(clientFor(fake), request('hi'), controller.signal);
    expect(events).toEqual([{ type: 'error', kind: 'aborted', message: expect.any(String) }]);
    expect(fake.requests).toHaveLength(0);
  });
});
