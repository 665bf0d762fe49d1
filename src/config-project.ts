// The project level of the configuration: .glm/settings.json and, above it, .glm/settings.local.json (a person's
// own, kept out of git by local-settings.ts), as Claude Code layers .claude/settings.local.json over
// .claude/settings.json. Both become one Layer of level 'project', so trust gates them alike (config.ts).
// Imports config-layers and node built-ins only.
import path from 'node:path';
import { fileLayer, readJsonObject, type Layer, type Values } from './config-layers.ts';

/** Keys whose values add up across the two files (rules, folders); every other key: the local file's wins. */
const LIST_KEYS = ['allow', 'deny', 'ask', 'additionalDirectories'] as const satisfies readonly (keyof Values)[];

export interface ProjectFile {
  file: string;
  layer: Layer;
  /** Its "prices" (read by prices.ts), unchecked. */
  prices: unknown;
}

export interface ProjectLevel {
  /** The two files merged; undefined when neither exists. */
  layer?: Layer;
  /** The files that exist: the project's, then the local one. */
  files: ProjectFile[];
  /** Both files' "prices" merged by model (the local file's entry wins), for the trust entry. */
  prices: unknown;
}

export const projectSettingsPath = (projectRoot: string): string => path.join(projectRoot, '.glm', 'settings.json');
export const localSettingsPath = (projectRoot: string): string => path.join(projectRoot, '.glm', 'settings.local.json');

/** Reads both files (a problem in either is a ConfigError naming that file) and merges them. */
export function readProjectLevel(projectRoot: string): ProjectLevel {
  const files = [projectSettingsPath(projectRoot), localSettingsPath(projectRoot)].flatMap((file): ProjectFile[] => {
    const layer = fileLayer(file, 'project');
    return layer ? [{ file, layer, prices: readJsonObject(file)?.prices }] : [];
  });
  if (files.length < 2) return { layer: files[0]?.layer, files, prices: files[0]?.prices };
  const [shared, local] = files as [ProjectFile, ProjectFile];
  return { layer: merged(shared.layer, local.layer), files, prices: mergedPrices(shared.prices, local.prices) };
}

function merged(shared: Layer, local: Layer): Layer {
  const values: Partial<Values> = { ...shared.values };
  for (const [key, value] of Object.entries(local.values) as [keyof Values, unknown][]) {
    if (value !== undefined) (values as Record<string, unknown>)[key] = value;
  }
  for (const key of LIST_KEYS) {
    const both = [...(shared.values[key] ?? []), ...(local.values[key] ?? [])];
    values[key] = shared.values[key] || local.values[key] ? [...new Set(both)] : undefined;
  }
  values.sandbox = mergedSandbox(shared.values.sandbox, local.values.sandbox);
  // A list key set in both files names both (its rules are checked file by file first: config.ts projectLevel).
  const where = (key: keyof Values): string => {
    const inLocal = local.values[key] !== undefined;
    const inShared = shared.values[key] !== undefined;
    if (inLocal && inShared && (LIST_KEYS as readonly string[]).includes(key)) return `${shared.where(key)} and ${local.where(key)}`;
    return inLocal ? local.where(key) : shared.where(key);
  };
  const warnings = [...(shared.warnings ?? []), ...(local.warnings ?? [])];
  return { level: 'project', values, where, ...(warnings.length && { warnings }) };
}

/** A project's sandbox only tightens (sandbox/settings.ts): "on" or sandboxed hooks from either file hold. */
function mergedSandbox(shared: Values['sandbox'] | undefined, local: Values['sandbox'] | undefined): Values['sandbox'] | undefined {
  if (!shared || !local) return local ?? shared;
  const on = shared.mode === 'on' || local.mode === 'on';
  return { ...shared, ...local, mode: on ? 'on' : local.mode, ...((shared.hooks || local.hooks) && { hooks: true }) };
}

function mergedPrices(shared: unknown, local: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  return isObject(shared) && isObject(local) ? { ...shared, ...local } : (local ?? shared);
}
