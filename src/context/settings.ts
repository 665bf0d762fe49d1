// Context settings, taken from the frozen Config (config.ts reads "contextWindow", "compactThreshold" and
// "autoCompact" from the settings files with everything else). Imports types only.
import type { Config } from '../types.ts';

export interface ContextSettings {
  /** Tokens the model can hold (the table's value unless overridden). */
  window: number;
  /** Share of the window a request may reach before the history is compacted. */
  threshold: number;
  auto: boolean;
}

export function contextSettings(config: Pick<Config, 'modelInfo' | 'compactThreshold' | 'autoCompact'>): ContextSettings {
  return { window: config.modelInfo.contextWindow, threshold: config.compactThreshold, auto: config.autoCompact };
}
