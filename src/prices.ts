// What requests cost: the "prices" setting (USD per million tokens, per model) read from the settings files,
// and a ModelClient wrapper that prices each request's usage when the server reported no cost itself.
// Imports config.ts and config-layers.ts (to find and read the settings files) and types; never the openai SDK,
// the loop or any UI.
import path from 'node:path';
import { readJsonObject } from './config-layers.ts';
import { ConfigError, localSettingsPath, projectSettingsPath } from './config.ts';
import type { Config, ModelClient, Usage } from './types.ts';

/** USD per million tokens. `cachedInput` defaults to `input` (cached prompt tokens cost the same). */
export interface ModelPrice {
  input: number;
  output: number;
  cachedInput?: number;
}

export type Prices = Record<string, ModelPrice>;

/** Counts the requests a session priced and those it could not (no cost reported, no price set). */
export interface CostMeter {
  priced: number;
  unpriced: number;
}

/**
 * The "prices" of the user's and, once the project is trusted (config-costly.ts), the project's settings files
 * (.glm/settings.json, then .glm/settings.local.json; the later file's entry wins for a model), e.g. `"prices": {"glm-5.2": {"input": 0.6, "output": 2.2, "cachedInput": 0.11}}`.
 * Empty when none is set.
 */
export function loadPrices(config: Pick<Config, 'configDir' | 'projectRoot' | 'projectTrusted'>): Prices {
  const project = [projectSettingsPath(config.projectRoot), localSettingsPath(config.projectRoot)];
  const files = [path.join(config.configDir, 'settings.json'), ...(config.projectTrusted ? project : [])];
  const prices: Prices = {};
  for (const file of files) Object.assign(prices, pricesIn(file));
  return prices;
}

function pricesIn(file: string): Prices {
  const raw = readJsonObject(file)?.prices;
  if (raw === undefined) return {};
  const example = 'like {"glm-5.2": {"input": 0.6, "output": 2.2}} (USD per million tokens)';
  if (!isObject(raw)) throw new ConfigError(`"prices" in ${file} must be an object ${example}`);
  const out: Prices = {};
  for (const [model, entry] of Object.entries(raw)) {
    if (!isObject(entry)) throw new ConfigError(`"prices.${model}" in ${file} must be an object ${example}`);
    const amount = (key: keyof ModelPrice, required: boolean): number | undefined => {
      const v = entry[key];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new ConfigError(`"prices.${model}.${key}" in ${file} must be a number of at least 0 (USD per million tokens)`);
      }
      return v;
    };
    const cachedInput = amount('cachedInput', false);
    out[model] = { input: amount('input', true)!, output: amount('output', true)!, ...(cachedInput !== undefined && { cachedInput }) };
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The price of `model`: its exact id, else the id without a provider prefix (`z-ai/glm-5.2` → `glm-5.2`). */
export function priceFor(prices: Prices, model: string): ModelPrice | undefined {
  return prices[model] ?? prices[model.slice(model.lastIndexOf('/') + 1)];
}

/** USD for one request's usage. Reasoning tokens are part of the output tokens and cost the same. */
export function costOf(usage: Usage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  return (fresh * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000;
}

/**
 * `client` with each request's usage priced: a cost the server reported is kept, otherwise `price` (when
 * known) sets one. `meter` counts the requests with and without a cost.
 */
export function withPrices(client: ModelClient, price: ModelPrice | undefined, meter?: CostMeter): ModelClient {
  return {
    async *stream(request, signal) {
      for await (const event of client.stream(request, signal)) {
        if (event.type !== 'message_end' || !event.usage) {
          yield event;
          continue;
        }
        const usage = event.usage.cost === undefined && price ? { ...event.usage, cost: costOf(event.usage, price) } : event.usage;
        if (meter) meter[usage.cost === undefined ? 'unpriced' : 'priced']++;
        yield usage === event.usage ? event : { ...event, usage };
      }
    },
  };
}
