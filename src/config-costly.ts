// The keys of a project's .glm/settings.json that choose what the user pays: the models (also the subagents' and
// the vision model), reasoning, output and turn limits, how full the context gets, retries and the timeouts that
// cut an answer off and send the request again, how many MCP tool schemas every request carries, and the prices
// glm shows. Like its allow rules they apply only once the project is trusted (trust.ts, kind "setting"), so a
// cloned repository cannot run up the user's bill or hide it. Pure; imports types only.
import type { Layer, Values } from './config-layers.ts';
import type { LooseningEntry } from './types.ts';

const COSTLY_KEYS = [
  'model', 'visionModel', 'agents', 'thinking', 'reasoningEffort', 'maxTokens', 'maxTurns', 'contextWindow', 'compactThreshold', 'autoCompact', 'maxRetries',
  'idleTimeoutMs', 'responseTimeoutMs', 'mcpToolSearch',
] as const satisfies readonly (keyof Values)[]; // prettier-ignore
type CostlyKey = (typeof COSTLY_KEYS)[number];

/** A key's name in the settings file, where it is not its Values key: what `glm trust` and the notices show. */
const FILE_NAMES: Partial<Record<CostlyKey, string>> = { mcpToolSearch: 'mcp.toolSearch' };
const nameOf = (key: CostlyKey): string => FILE_NAMES[key] ?? key;
const keyNamed = (name: string): CostlyKey | undefined => COSTLY_KEYS.find((key) => nameOf(key) === name);

/** The "prices" key, read by prices.ts from the files themselves. */
export const PRICES_KEY = 'prices';

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** One entry per costly key the project sets: `maxTokens 131072`, `model glm-5.2`, `prices {…}`. */
export function costlyEntries(layer: Layer | undefined, prices: unknown): LooseningEntry[] {
  const values = layer?.values ?? {};
  const entries: LooseningEntry[] = COSTLY_KEYS.flatMap((key) => (values[key] === undefined ? [] : [{ kind: 'setting' as const, value: `${nameOf(key)} ${shown(values[key])}` }]));
  if (prices !== undefined) entries.push({ kind: 'setting', value: `${PRICES_KEY} ${shown(prices)}` });
  return entries;
}

/** The layer's values without the costly keys (an untrusted project's). */
export function withoutCostly(values: Partial<Values>): Partial<Values> {
  const out = { ...values };
  for (const key of COSTLY_KEYS) delete out[key];
  return out;
}

type Pick = (key: keyof Values) => { value: unknown; level: Layer['level'] } | undefined;

/**
 * Whether holding a costly setting back changes anything: the project's file would have chosen it (no flag or
 * variable does) and what is used instead differs. Prices are always reported (they are not merged here).
 */
export function costlyLost(value: string, full: Pick, used: Pick): boolean {
  const name = value.slice(0, value.indexOf(' '));
  const key = keyNamed(name);
  if (name === PRICES_KEY || !key) return true;
  const chosen = full(key);
  return chosen?.level === 'project' && shown(used(key)?.value) !== value.slice(name.length + 1);
}

/** The one-line summary of an entry: the key and value, or only "prices" (their table is long). */
export const costlySummary = (value: string): string => (value.startsWith(`${PRICES_KEY} `) ? PRICES_KEY : value);
