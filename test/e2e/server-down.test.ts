// A local server that is down: glm -p fails at once (no retries) with one line naming the URL and the fix.
// A server that answers busy is still retried.
import { describe, expect, it } from 'vitest';
import { error, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { closedPort } from '../support/closed-port.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));

describe('an endpoint that cannot be reached', () => {
  it('fails at once when nothing listens on a local port, saying which URL', async () => {
    const port = await closedPort();
    const sb = await makeSandbox({});
    const r = await runGlm(sb, ['-p', 'hi', '--provider', 'vllm', '--base-url', `http://127.0.0.1:${port}/v1`]);
    expect(r.exitCode).toBe(1);
    expect(String(r.stderr).split('\n')).toEqual([
      `glm: vLLM (http://127.0.0.1:${port}/v1): could not connect (connect ECONNREFUSED 127.0.0.1:${port}): nothing is listening there; start the server or fix the base URL`,
    ]);
  });

  it('fails at once in stream-json too, with the error as an event and no retry events', async () => {
    const port = await closedPort();
    const sb = await makeSandbox({});
    const r = await runGlm(sb, ['-p', 'hi', '--output-format', 'stream-json', '--base-url', `http://127.0.0.1:${port}/v1`]);
    expect(r.exitCode).toBe(1);
    const events = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.subtype ?? e.type)).toEqual(['init', 'error', 'error_during_execution']);
    expect(events[1].message).toContain(`http://127.0.0.1:${port}/v1`);
  });

  it('a busy server is still retried', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(error(503, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1' }), text('done'));
    const r = await runGlm(sb, ['-p', 'hi']);
    expect([r.exitCode, r.stdout]).toEqual([0, 'done']);
    expect(r.stderr).toMatch(/retrying in .* \(2\/4\)/);
    expect(fake.requests).toHaveLength(2);
  });
});
