// Context settings from the settings files (project .glm/settings.json over the user's settings.json):
//   "contextWindow": 32768     // override the model table (self-hosted servers often run a smaller window)
//   "compactThreshold": 0.85   // compact when the next request would pass this share of the window
//   "autoCompact": false       // never compact on your own (overflow and /compact still do)
// Imports config.ts (paths, ConfigError) and types only.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, projectSettingsPath } from '../config.ts';
import type { Config } from '../types.ts';

export const DEFAULT_COMPACT_THRESHOLD = 0.85;
const MIN_WINDOW = 2048;

export interface ContextSettings {
  /** Tokens the model can hold (the table's value unless overridden). */
  window: number;
  /** Share of the window a request may reach before the history is compacted. */
  threshold: number;
  auto: boolean;
}

type Keys = { contextWindow?: number; compactThreshold?: number; autoCompact?: boolean };

export function contextSettings(config: Pick<Config, 'configDir' | 'projectRoot' | 'modelInfo'>): ContextSettings {
  const user = readKeys(path.join(config.configDir, 'settings.json'));
  const project = readKeys(projectSettingsPath(config.projectRoot));
  return {
    window: project.contextWindow ?? user.contextWindow ?? config.modelInfo.contextWindow,
    threshold: project.compactThreshold ?? user.compactThreshold ?? DEFAULT_COMPACT_THRESHOLD,
    auto: project.autoCompact ?? user.autoCompact ?? true,
  };
}

/** config.ts already rejected unreadable or invalid JSON; a file that vanished since is simply empty. */
function readKeys(file: string): Keys {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '') || '{}') as Record<string, unknown>;
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null) return {};
  const { contextWindow, compactThreshold, autoCompact } = data;
  if (contextWindow !== undefined && !(Number.isSafeInteger(contextWindow) && (contextWindow as number) >= MIN_WINDOW)) {
    throw new ConfigError(`"contextWindow" in ${file} must be a whole number of tokens, at least ${MIN_WINDOW}`);
  }
  if (compactThreshold !== undefined && !(typeof compactThreshold === 'number' && compactThreshold >= 0.2 && compactThreshold <= 0.98)) {
    throw new ConfigError(`"compactThreshold" in ${file} must be a number between 0.2 and 0.98 (a share of the context window, e.g. 0.85)`);
  }
  if (autoCompact !== undefined && typeof autoCompact !== 'boolean') throw new ConfigError(`"autoCompact" in ${file} must be true or false`);
  return { contextWindow: contextWindow as number | undefined, compactThreshold, autoCompact };
}
