// The "prices" setting (real temp settings files) and the priced model client against the fake GLM server:
// a request's cost comes from the server when it reports one, else from the setting, else stays unknown.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { costOf, loadPrices, priceFor, withPrices, type CostMeter } from '../src/prices.ts';
import { startFakeGlm, text, type FakeGlm } from './support/fake-glm-server.ts';
import { clientFor, collect, request, terminal } from './model/harness.ts';

function sandbox() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-prices-'));
  const configDir = path.join(tmp, 'home', '.config', 'glm-code');
  const projectRoot = path.join(tmp, 'proj');
  mkdirSync(path.join(projectRoot, '.git'), { recursive: true });
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(data));
  };
  return {
    configDir,
    projectRoot,
    home: path.join(tmp, 'home'),
    user: (data: unknown) => write(path.join(configDir, 'settings.json'), data),
    proj: (data: unknown) => write(path.join(projectRoot, '.glm', 'settings.json'), data),
  };
}

describe('loadPrices', () => {
  it('reads the user file and lets the project file win per model', () => {
    const sb = sandbox();
    sb.user({ model: 'glm-5.2', prices: { 'glm-5.2': { input: 1, output: 3 }, 'glm-4.6': { input: 0.5, output: 1.5, cachedInput: 0.1 } } });
    sb.proj({ prices: { 'glm-5.2': { input: 2, output: 4 } } });
    expect(loadPrices({ ...sb, projectTrusted: true })).toEqual({ 'glm-5.2': { input: 2, output: 4 }, 'glm-4.6': { input: 0.5, output: 1.5, cachedInput: 0.1 } });
    // An untrusted project's prices would hide what requests cost (test/config-trust.test.ts).
    expect(loadPrices(sb)).toEqual({ 'glm-5.2': { input: 1, output: 3 }, 'glm-4.6': { input: 0.5, output: 1.5, cachedInput: 0.1 } });
    // The rest of the configuration does not mind the key.
    const config = loadConfig({}, { HOME: sb.home, GLM_API_KEY: 'k' }, sb.projectRoot);
    expect(config.model).toBe('glm-5.2');
  });

  it('is empty without settings files or without the key', () => {
    const sb = sandbox();
    expect(loadPrices(sb)).toEqual({});
    sb.user({ model: 'glm-4.6' });
    expect(loadPrices(sb)).toEqual({});
  });

  it('names the entry and the fix when a price is not a number', () => {
    const sb = sandbox();
    sb.user({ prices: { 'glm-5.2': { input: '0.6', output: 2 } } });
    expect(() => loadPrices(sb)).toThrow(ConfigError);
    expect(() => loadPrices(sb)).toThrow(/"prices\.glm-5\.2\.input" in .*settings\.json must be a number of at least 0 \(USD per million tokens\)/);
    sb.user({ prices: ['glm-5.2'] });
    expect(() => loadPrices(sb)).toThrow(/"prices" in .* must be an object like/);
    sb.user({ prices: { 'glm-5.2': { input: 1 } } });
    expect(() => loadPrices(sb)).toThrow(/"prices\.glm-5\.2\.output"/);
  });
});

describe('priceFor and costOf', () => {
  const prices = { 'glm-5.2': { input: 1, output: 4, cachedInput: 0.25 } };

  it('finds a price by the id with or without the provider prefix', () => {
    expect(priceFor(prices, 'glm-5.2')).toBe(prices['glm-5.2']);
    expect(priceFor(prices, 'z-ai/glm-5.2')).toBe(prices['glm-5.2']);
    expect(priceFor(prices, 'glm-4.6')).toBeUndefined();
  });

  it('charges cached input at its own price and reasoning as output', () => {
    const usage = { inputTokens: 1_000_000, cachedTokens: 400_000, outputTokens: 500_000, reasoningTokens: 300_000 };
    // 600k fresh × $1 + 400k cached × $0.25 + 500k out × $4, per million
    expect(costOf(usage, prices['glm-5.2'])).toBeCloseTo(0.6 + 0.1 + 2, 10);
    expect(costOf(usage, { input: 1, output: 4 })).toBeCloseTo(1 + 2, 10);
  });
});

describe('withPrices over the model client', () => {
  let fake: FakeGlm;
  beforeAll(async () => {
    fake = await startFakeGlm();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const usage = (extra: Record<string, unknown> = {}) => ({ prompt_tokens: 2_000, completion_tokens: 1_000, total_tokens: 3_000, ...extra });

  it('prices a request from the setting when the server reports no cost', async () => {
    fake.reply(text('hi', { usage: usage() }));
    const meter: CostMeter = { priced: 0, unpriced: 0 };
    const end = terminal(await collect(withPrices(clientFor(fake), { input: 1, output: 2 }, meter), request('hello')));
    expect(end).toMatchObject({ type: 'message_end', usage: { inputTokens: 2_000, outputTokens: 1_000 } });
    expect(end.type === 'message_end' && end.usage?.cost).toBeCloseTo(0.004, 10);
    expect(meter).toEqual({ priced: 1, unpriced: 0 });
  });

  it('keeps the cost the server reported (OpenRouter) over the setting', async () => {
    fake.reply(text('hi', { usage: usage({ cost: 0.0005 }) }));
    const end = terminal(await collect(withPrices(clientFor(fake), { input: 100, output: 100 }), request('hello')));
    expect(end.type === 'message_end' && end.usage?.cost).toBe(0.0005);
  });

  it('leaves the cost unknown without a price, and counts the request as unpriced', async () => {
    fake.reply(text('hi', { usage: usage() }));
    const meter: CostMeter = { priced: 0, unpriced: 0 };
    const end = terminal(await collect(withPrices(clientFor(fake), undefined, meter), request('hello')));
    expect(end.type === 'message_end' && end.usage).not.toHaveProperty('cost');
    expect(meter).toEqual({ priced: 0, unpriced: 1 });
  });
});
