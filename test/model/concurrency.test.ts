import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acquireSlot, activeSlots } from '../../src/model/semaphore.ts';
import { idle, startFakeGlm, text, type FakeGlm } from '../support/fake-glm-server.ts';
import { clientFor, collect, ended, failed, request } from './harness.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());

describe('per-model concurrency', () => {
  test('slots are granted in order and released once', async () => {
    const never = new AbortController().signal;
    const a = await acquireSlot('k1', 1, never);
    let second = false;
    const b = acquireSlot('k1', 1, never).then((r) => ((second = true), r));
    await new Promise((r) => setImmediate(r));
    expect(second).toBe(false);
    a!();
    a!();
    const release = await b;
    expect(second).toBe(true);
    expect(activeSlots('k1')).toBe(1);
    release!();
    expect(activeSlots('k1')).toBe(0);
  });

  test('a waiter that aborts holds nothing', async () => {
    const held = await acquireSlot('k2', 1, new AbortController().signal);
    const controller = new AbortController();
    const waiting = acquireSlot('k2', 1, controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
    held!();
    expect(activeSlots('k2')).toBe(0);
  });

  test('with concurrency 1, a second stream to the same model waits for the first', async () => {
    fake.reply(idle(60_000, { content: 'first' }), text('second'));
    const client = clientFor(fake, { concurrency: 1, model: 'glm-4.7-limited' });
    const controller = new AbortController();
    const first = client.stream(request('one'), controller.signal)[Symbol.asyncIterator]();
    expect((await first.next()).value).toEqual({ type: 'text_delta', text: 'first' });

    const second = collect(client, request('two'));
    // The second request must not reach the server while the first holds the only slot.
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls).toHaveLength(1);

    controller.abort();
    const rest = [];
    for (let r = await first.next(); !r.done; r = await first.next()) rest.push(r.value);
    expect(failed(rest).kind).toBe('aborted');
    expect(ended(await second).message.content).toBe('second');
    expect(fake.calls).toHaveLength(2);
  });
});
