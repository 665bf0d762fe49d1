// Provider presets and the model table: the URLs, dialects and key variables a user configures against, and the
// limits the loop relies on for every model in ../shared/glm-protocol.md §1.3.
import { describe, expect, it } from 'vitest';
import {
  defaultVisionModel,
  DEFAULT_MODEL,
  PROVIDERS,
  PROVIDER_IDS,
  getProvider,
  isProviderId,
  keyBelongsTo,
  lookupModel,
  providerModelId,
} from '../src/providers.ts';

describe('provider presets', () => {
  it.each([
    ['zai', 'https://api.z.ai/api/paas/v4', 'zai', ['GLM_API_KEY', 'ZAI_API_KEY'], true, false],
    ['zai-coding', 'https://api.z.ai/api/coding/paas/v4', 'zai', ['GLM_API_KEY', 'ZAI_API_KEY'], true, true],
    ['bigmodel', 'https://open.bigmodel.cn/api/paas/v4', 'zai', ['GLM_API_KEY', 'ZAI_API_KEY'], true, false],
    ['bigmodel-coding', 'https://open.bigmodel.cn/api/coding/paas/v4', 'zai', ['GLM_API_KEY', 'ZAI_API_KEY'], true, true],
    ['openrouter', 'https://openrouter.ai/api/v1', 'openrouter', ['OPENROUTER_API_KEY'], true, false],
    ['vllm', 'http://localhost:8000/v1', 'vllm', ['GLM_API_KEY', 'OPENAI_API_KEY'], false, false],
    ['sglang', 'http://localhost:30000/v1', 'sglang', ['GLM_API_KEY', 'OPENAI_API_KEY'], false, false],
    ['ollama', 'http://localhost:11434/v1', 'ollama', ['GLM_API_KEY', 'OPENAI_API_KEY'], false, false],
    ['llamacpp', 'http://localhost:8080/v1', 'llamacpp', ['GLM_API_KEY', 'OPENAI_API_KEY'], false, false],
    ['openai-compatible', undefined, 'openai-compatible', ['GLM_API_KEY', 'OPENAI_API_KEY'], false, false],
  ] as const)('%s', (id, baseURL, dialect, keys, keyRequired, codingPlan) => {
    const p = getProvider(id);
    expect(p.baseURL).toBe(baseURL);
    expect(p.dialect).toBe(dialect);
    expect(p.keyEnv.slice(0, keys.length)).toEqual(keys);
    expect(p.keyRequired).toBe(keyRequired);
    expect(p.codingPlan).toBe(codingPlan);
  });

  it('knows which service each key variable belongs to', () => {
    expect(getProvider('openrouter').keyEnv).toEqual(['OPENROUTER_API_KEY']);
    expect(keyBelongsTo('GLM_API_KEY', 'https://api.z.ai/api/coding/paas/v4')).toBe(true);
    expect(keyBelongsTo('GLM_API_KEY', 'https://open.bigmodel.cn/api/paas/v4')).toBe(true);
    expect(keyBelongsTo('ZHIPUAI_API_KEY', 'https://open.bigmodel.cn/api/paas/v4')).toBe(true);
    expect(keyBelongsTo('ZHIPUAI_API_KEY', 'https://api.z.ai/api/paas/v4')).toBe(false);
    expect(keyBelongsTo('OPENROUTER_API_KEY', 'https://openrouter.ai/api/v1')).toBe(true);
    expect(keyBelongsTo('GLM_API_KEY', 'https://openrouter.ai/api/v1')).toBe(false);
    expect(keyBelongsTo('OPENROUTER_API_KEY', 'https://api.z.ai/api/paas/v4')).toBe(false);
    // Another scheme, port or host is another server.
    expect(keyBelongsTo('GLM_API_KEY', 'http://api.z.ai/api/paas/v4')).toBe(false);
    expect(keyBelongsTo('GLM_API_KEY', 'https://api.z.ai:8443/v4')).toBe(false);
    expect(keyBelongsTo('GLM_API_KEY', 'https://api.z.ai.evil.example/v4')).toBe(false);
    expect(keyBelongsTo('OPENAI_API_KEY', 'http://localhost:8000/v1')).toBe(false);
    expect(keyBelongsTo('GLM_API_KEY', 'not a url')).toBe(false);
  });

  it('lists every provider id and recognises only those', () => {
    expect(PROVIDER_IDS).toHaveLength(10);
    for (const id of PROVIDER_IDS) expect(isProviderId(id)).toBe(true);
    expect(isProviderId('anthropic')).toBe(false);
    expect(isProviderId('toString')).toBe(false);
    expect(Object.isFrozen(PROVIDERS)).toBe(true);
  });

  it('gives bare glm ids the z-ai/ prefix on OpenRouter only', () => {
    expect(providerModelId('openrouter', 'glm-4.6')).toBe('z-ai/glm-4.6');
    expect(providerModelId('openrouter', 'GLM-5.2')).toBe('z-ai/GLM-5.2');
    expect(providerModelId('openrouter', 'z-ai/glm-4.6')).toBe('z-ai/glm-4.6');
    expect(providerModelId('openrouter', 'anthropic/claude')).toBe('anthropic/claude');
    expect(providerModelId('zai', 'glm-4.6')).toBe('glm-4.6');
    expect(providerModelId('vllm', 'glm-4.6')).toBe('glm-4.6');
  });
});

describe('model table', () => {
  // Every id in the Z.ai API list (§1.3) that is a chat model.
  const apiList = [
    'glm-5.3', 'glm-5.2', 'glm-5.1', 'glm-5-turbo', 'glm-5', 'glm-4.7', 'glm-4.7-flash', 'glm-4.7-flashx', 'glm-4.6',
    'glm-4.5', 'glm-4.5-air', 'glm-4.5-x', 'glm-4.5-airx', 'glm-4.5-flash', 'glm-4-32b-0414-128k', 'glm-5.3-flash',
    'glm-5v-turbo', 'glm-4.6v', 'glm-4.6v-flash', 'glm-4.6v-flashx', 'glm-4.5v',
  ]; // prettier-ignore
  const codingPlan = ['glm-4.5-air', 'glm-4.7', 'glm-5-turbo', 'glm-5.1', 'glm-5.2', 'glm-5v-turbo'];

  it.each(apiList)('knows %s', (id) => {
    const m = lookupModel(id);
    expect(m.known).toBe(true);
    expect(m.contextWindow).toBeGreaterThan(m.maxOutput);
  });

  it.each([
    ['glm-4.5', 131072, 98304, 'hybrid', false],
    ['glm-4.5v', 64000, 16384, 'hybrid', false],
    ['glm-4.6', 204800, 131072, 'hybrid', false],
    ['glm-4.6v', 128000, 32768, 'hybrid', false],
    ['glm-4.7', 204800, 131072, 'hybrid', false],
    ['glm-5', 204800, 131072, 'hybrid', false],
    ['glm-5.1', 200000, 131072, 'hybrid', false],
    ['glm-5.2', 1000000, 131072, 'hybrid', true],
    ['glm-5.3', 1048576, 131072, 'always', true],
    ['glm-5.3-flash', 1048576, 131072, 'always', true],
    ['glm-4-32b-0414-128k', 131072, 16384, 'none', false],
  ] as const)('%s: %i context, %i output, thinking %s, effort %s', (id, ctx, out, thinking, effort) => {
    expect(lookupModel(id)).toMatchObject({ contextWindow: ctx, maxOutput: out, thinking, reasoningEffort: effort, known: true });
  });

  it.each([
    ['glm-4.5v', true],
    ['glm-4.6v', true],
    ['glm-4.6v-flash', true],
    ['glm-4.6v-flashx', true],
    ['glm-5v-turbo', true],
    ['z-ai/glm-5v-turbo', true],
    ['glm-5.2', false],
    ['glm-5.1', false],
    ['glm-4.7', false],
    ['glm-5.3', false],
    ['llama-3-70b', false],
  ] as const)('%s takes images: %s', (id, vision) => {
    expect(lookupModel(id).vision).toBe(vision);
  });

  it('names a default vision model per provider, none for self-hosted servers', () => {
    expect(defaultVisionModel('zai')).toBe('glm-5v-turbo');
    expect(defaultVisionModel('zai-coding')).toBe('glm-5v-turbo');
    expect(defaultVisionModel('bigmodel-coding')).toBe('glm-5v-turbo');
    expect(defaultVisionModel('openrouter')).toBe('z-ai/glm-5v-turbo');
    expect(defaultVisionModel('vllm')).toBeUndefined();
    expect(defaultVisionModel('openai-compatible')).toBeUndefined();
  });

  it.each([
    ['GLM-4.6', 'glm-4.6'],
    ['z-ai/glm-5-turbo-20260315', 'glm-5-turbo'],
    ['zai-org/GLM-4.5-Air', 'glm-4.5-air'],
    ['zai-org/GLM-4.5-Air-FP8', 'glm-4.5-air'],
    ['glm-5.2[1m]', 'glm-5.2'],
    ['glm-4.7-flash:latest', 'glm-4.7-flash'],
    ['z-ai/glm-4.6:exacto', 'glm-4.6'],
  ])('matches %s as %s', (id, canonical) => {
    expect(lookupModel(id)).toEqual(lookupModel(canonical));
    expect(lookupModel(id).known).toBe(true);
  });

  it('gives unknown models safe defaults', () => {
    for (const id of ['llama-3-70b', 'glm-5-air', 'glm-9', '']) {
      expect(lookupModel(id)).toEqual({
        contextWindow: 131072,
        maxOutput: 16384,
        thinking: 'hybrid',
        reasoningEffort: false,
        vision: false,
        known: false,
      });
    }
  });

  it('defaults to the newest model on both the API and the Coding Plan', () => {
    expect(DEFAULT_MODEL).toBe('glm-5.2');
    expect(apiList).toContain(DEFAULT_MODEL);
    expect(codingPlan).toContain(DEFAULT_MODEL);
    expect(lookupModel(DEFAULT_MODEL).known).toBe(true);
  });

  it('returns a copy the caller may change without touching the table', () => {
    const m = lookupModel('glm-4.6');
    m.maxOutput = 1;
    expect(lookupModel('glm-4.6').maxOutput).toBe(131072);
  });
});
