import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createModelClientFromConfig } from '../../src/model/client.ts';
import type { ModelClient } from '../../src/types.ts';
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

describe('the Coding Plan limit is shared by everything one process sends', () => {
  /** A config as `glm` builds it, from a temp home with an optional user settings file. */
  async function configFor(provider: string, model: string, settings?: object) {
    const home = await mkdtemp(path.join(os.tmpdir(), 'glm-conc-'));
    if (settings) {
      await mkdir(path.join(home, '.config/glm-code'), { recursive: true });
      await writeFile(path.join(home, '.config/glm-code/settings.json'), JSON.stringify(settings));
    }
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), GLM_API_KEY: 'k', GLM_BASE_URL: fake.codingUrl };
    return loadConfig({ provider, model }, env, home);
  }

  /** Starts a stream and resolves once its first delta arrived (its request holds a slot until aborted). */
  async function hold(client: ModelClient, signal: AbortSignal) {
    const it = client.stream(request('hold'), signal)[Symbol.asyncIterator]();
    return { it, first: it.next() };
  }

  const settle = () => new Promise((r) => setTimeout(r, 150));

  test('zai-coding: two clients (say the session and a review) share 2 slots per model; another model has its own', async () => {
    fake.reset();
    const config = await configFor('zai-coding', 'glm-4.7');
    expect(config.concurrency).toBe(2);
    const session = createModelClientFromConfig(config);
    const review = createModelClientFromConfig(config);
    fake.reply(idle(60_000, { content: 'a' }), idle(60_000, { content: 'b' }), text('c'), text('d'));
    const stop = new AbortController();
    const a = await hold(session, stop.signal);
    const b = await hold(review, stop.signal);
    await Promise.all([a.first, b.first]);
    const third = collect(review, request('third'));
    await settle();
    expect(fake.calls).toHaveLength(2); // the third request waits for a slot

    const other = createModelClientFromConfig(await configFor('zai-coding', 'glm-4.5-air'));
    const otherModel = collect(other, request('other'));
    await fake.waitForRequests(3);
    expect(fake.calls[2]!.body.model).toBe('glm-4.5-air');

    await a.it.return?.(undefined); // the first stream ends: its slot goes to the waiting request
    await fake.waitForRequests(4);
    stop.abort();
    await b.it.return?.(undefined);
    expect(ended(await otherModel).message.content).toBe('c');
    expect(ended(await third).message.content).toBe('d');
  });

  test('settings "concurrency": 1 makes the second request wait; pay-as-you-go defaults to 8', async () => {
    fake.reset();
    expect((await configFor('zai', 'glm-4.7')).concurrency).toBe(8);
    const config = await configFor('zai-coding', 'glm-4.6', { concurrency: 1 });
    expect(config.concurrency).toBe(1);
    fake.reply(idle(60_000, { content: 'a' }), text('b'));
    const stop = new AbortController();
    const a = await hold(createModelClientFromConfig(config), stop.signal);
    await a.first;
    const second = collect(createModelClientFromConfig(config), request('second'));
    await settle();
    expect(fake.calls).toHaveLength(1);
    stop.abort();
    await a.it.return?.(undefined);
    expect(ended(await second).message.content).toBe('b');
  });
});
