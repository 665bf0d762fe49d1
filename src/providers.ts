// Provider presets (base URL, dialect, key variables) and the built-in GLM model table.
// Pure data and lookups: imports only types.ts. Facts come from ../shared/glm-protocol.md §1 and §8.
import type { Dialect, ModelInfo, ProviderId } from './types.ts';

export interface ProviderPreset {
  id: ProviderId;
  /** Human name for messages. */
  label: string;
  /** Undefined only for openai-compatible, where the user must give one. */
  baseURL?: string;
  dialect: Dialect;
  /**
   * Environment variables read for the API key, first set one wins. A hosted provider's variables belong to its
   * host: config.ts sends them elsewhere only to an address the user chose (keyBelongsTo).
   */
  keyEnv: readonly string[];
  /** Whether a request without a key is pointless (hosted services). */
  keyRequired: boolean;
  /** GLM Coding Plan endpoints cap concurrency per model (errors 1302/1305). */
  codingPlan: boolean;
  /** Prefix a bare `glm-…` model id gets on this provider (OpenRouter's `z-ai/`). */
  modelPrefix?: string;
}

const ZAI_KEYS = ['GLM_API_KEY', 'ZAI_API_KEY'] as const;
const BIGMODEL_KEYS = ['GLM_API_KEY', 'ZAI_API_KEY', 'ZHIPUAI_API_KEY', 'BIGMODEL_API_KEY'] as const;
const LOCAL_KEYS = ['GLM_API_KEY', 'OPENAI_API_KEY'] as const;

const hosted = (id: ProviderId, label: string, baseURL: string, keyEnv: readonly string[], codingPlan: boolean) =>
  ({ id, label, baseURL, dialect: 'zai', keyEnv, keyRequired: true, codingPlan }) satisfies ProviderPreset;

const local = (id: ProviderId & Dialect, label: string, baseURL: string) =>
  ({ id, label, baseURL, dialect: id, keyEnv: LOCAL_KEYS, keyRequired: false, codingPlan: false }) satisfies ProviderPreset;

export const PROVIDERS: Readonly<Record<ProviderId, Readonly<ProviderPreset>>> = Object.freeze({
  zai: hosted('zai', 'Z.ai API', 'https://api.z.ai/api/paas/v4', ZAI_KEYS, false),
  'zai-coding': hosted('zai-coding', 'Z.ai GLM Coding Plan', 'https://api.z.ai/api/coding/paas/v4', ZAI_KEYS, true),
  bigmodel: hosted('bigmodel', 'BigModel API', 'https://open.bigmodel.cn/api/paas/v4', BIGMODEL_KEYS, false),
  'bigmodel-coding': hosted(
    'bigmodel-coding',
    'BigModel Coding Plan',
    'https://open.bigmodel.cn/api/coding/paas/v4',
    BIGMODEL_KEYS,
    true,
  ),
  openrouter: {
    id: 'openrouter',
    label: 'OpenRouter',
    baseURL: 'https://openrouter.ai/api/v1',
    dialect: 'openrouter',
    // Not GLM_API_KEY: that is a Z.ai / BigModel key, and OpenRouter is another company.
    keyEnv: ['OPENROUTER_API_KEY'],
    keyRequired: true,
    codingPlan: false,
    modelPrefix: 'z-ai/',
  },
  vllm: local('vllm', 'vLLM', 'http://localhost:8000/v1'),
  sglang: local('sglang', 'SGLang', 'http://localhost:30000/v1'),
  ollama: local('ollama', 'Ollama', 'http://localhost:11434/v1'),
  llamacpp: local('llamacpp', 'llama.cpp', 'http://localhost:8080/v1'),
  'openai-compatible': {
    id: 'openai-compatible',
    label: 'OpenAI-compatible server',
    dialect: 'openai-compatible',
    keyEnv: LOCAL_KEYS,
    keyRequired: false,
    codingPlan: false,
  },
});

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

const SELF_HOSTED: ReadonlySet<Dialect> = new Set<Dialect>(['vllm', 'sglang', 'ollama', 'llamacpp', 'openai-compatible']);

/** A server the user runs (vLLM, SGLang, Ollama, llama.cpp, any OpenAI-compatible one), not a hosted API. */
export const isSelfHosted = (dialect: Dialect): boolean => SELF_HOSTED.has(dialect);

export function isProviderId(s: string): s is ProviderId {
  return Object.hasOwn(PROVIDERS, s);
}

export function getProvider(id: ProviderId): Readonly<ProviderPreset> {
  return PROVIDERS[id];
}

/**
 * Whether an API key variable belongs to the service at `url`: a hosted provider that reads it lives at that same
 * https origin (GLM_API_KEY and ZAI_API_KEY on api.z.ai and open.bigmodel.cn, OPENROUTER_API_KEY on openrouter.ai).
 * OPENAI_API_KEY belongs to none of them.
 */
export function keyBelongsTo(name: string, url: string): boolean {
  const origin = URL.canParse(url) ? new URL(url).origin : undefined;
  return Object.values(PROVIDERS).some((p) => p.keyRequired && p.baseURL && p.keyEnv.includes(name) && new URL(p.baseURL).origin === origin);
}

/** The id to send: OpenRouter wants `z-ai/glm-…`; a bare `glm-…` id gets the prefix, anything else is left alone. */
export function providerModelId(provider: ProviderId, model: string): string {
  const prefix = PROVIDERS[provider].modelPrefix;
  if (!prefix || !/^glm-/i.test(model)) return model;
  return prefix + model;
}

/**
 * Default model: glm-5.2. It is the newest model that appears both in the pay-as-you-go API list and in the
 * Coding Plan list (§1.3), so the default works for every Z.ai/BigModel key. glm-5.3 is newer but its facts are
 * third-party only and it is not on the Coding Plan list.
 */
export const DEFAULT_MODEL = 'glm-5.2';

type Entry = Omit<ModelInfo, 'known'>;
const hybrid = (contextWindow: number, maxOutput: number): Entry => ({
  contextWindow,
  maxOutput,
  thinking: 'hybrid',
  reasoningEffort: false,
  vision: false,
});
/** A model that takes images (§14.1): GLM-4.5V, GLM-4.6V (-Flash, -FlashX), GLM-5V-Turbo. */
const vision = (entry: Entry): Entry => ({ ...entry, vision: true });

// §1.3: models.dev numbers (powers of two where docs say "128K"/"96K"). GLM-4.7+ think by default but still
// accept thinking disabled, so they are 'hybrid'; only the GLM-5.3 family cannot switch thinking off.
const GLM_45 = hybrid(131072, 98304);
const GLM_46V = vision(hybrid(128000, 32768));
const GLM_5X = hybrid(200000, 131072);
// GLM-5.3 max output is not published (§1.3 "?"); 131072 matches every other GLM-5 model.
const GLM_53: Entry = { contextWindow: 1048576, maxOutput: 131072, thinking: 'always', reasoningEffort: true, vision: false };

export const MODELS: Readonly<Record<string, Readonly<Entry>>> = Object.freeze({
  'glm-4.5': GLM_45,
  'glm-4.5-air': GLM_45,
  'glm-4.5-x': GLM_45,
  'glm-4.5-airx': GLM_45,
  'glm-4.5-flash': GLM_45,
  'glm-4.5v': vision(hybrid(64000, 16384)),
  'glm-4.6': hybrid(204800, 131072),
  'glm-4.6v': GLM_46V,
  'glm-4.6v-flash': GLM_46V,
  'glm-4.6v-flashx': GLM_46V,
  'glm-4.7': hybrid(204800, 131072),
  'glm-4.7-flash': GLM_5X,
  'glm-4.7-flashx': GLM_5X,
  // GLM-4-0414 is not a reasoning model; its output limit is not published, 16K is a conservative guess.
  'glm-4-32b-0414-128k': { contextWindow: 131072, maxOutput: 16384, thinking: 'none', reasoningEffort: false, vision: false },
  'glm-5': hybrid(204800, 131072),
  'glm-5-turbo': GLM_5X,
  'glm-5.1': GLM_5X,
  'glm-5v-turbo': vision(GLM_5X),
  'glm-5.2': { contextWindow: 1000000, maxOutput: 131072, thinking: 'hybrid', reasoningEffort: true, vision: false },
  'glm-5.3': GLM_53,
  'glm-5.3-flash': GLM_53,
});

/** Used when a model id is not in the table: small enough to be safe on any server that runs GLM. */
export const UNKNOWN_MODEL: Readonly<ModelInfo> = Object.freeze({
  contextWindow: 131072,
  maxOutput: 16384,
  thinking: 'hybrid',
  reasoningEffort: false,
  vision: false,
  known: false,
});

/**
 * The vision model a text-only model hands images to (setting "visionModel" overrides it): GLM-5V-Turbo on
 * Z.ai and BigModel (pay-as-you-go and Coding Plan list it, §1.3), its OpenRouter id there, none on a server the
 * user runs (it may serve no vision model at all).
 */
export function defaultVisionModel(provider: ProviderId): string | undefined {
  if (provider === 'openrouter') return 'z-ai/glm-5v-turbo';
  return PROVIDERS[provider].dialect === 'zai' ? 'glm-5v-turbo' : undefined;
}

/**
 * The table key for a model id as users and servers spell it: case-insensitive, without a provider or
 * repository prefix (`z-ai/`, `zai-org/`), a tag (`:latest`, `:free`), an alias suffix (`[1m]`) or a date
 * suffix (`-20260315`).
 */
export function normalizeModelId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/\[[^\]]*\]$/, '')
    .replace(/:[^:]*$/, '')
    .replace(/-\d{8}$/, '');
}

// Weight-format suffixes self-hosted servers often keep in the served name (`GLM-4.5-Air-FP8`).
const FORMAT_SUFFIX = /-(fp8|fp16|bf16|awq|gptq|int4|int8|w4a16|w8a8|gguf|mlx|\d+bit|q\d\w*)$/;

/**
 * Limits and thinking support for a model id. Weight-format suffixes are dropped before the lookup;
 * anything still unknown gets UNKNOWN_MODEL (`known: false`).
 */
export function lookupModel(id: string): ModelInfo {
  let key = normalizeModelId(id);
  while (FORMAT_SUFFIX.test(key)) key = key.replace(FORMAT_SUFFIX, '');
  if (!Object.hasOwn(MODELS, key)) return { ...UNKNOWN_MODEL };
  return { ...MODELS[key], known: true };
}
