// The `sandbox` setting, the --sandbox flag and GLM_SANDBOX: checked per level, then merged into the one
// SandboxConfig. A project's .glm/settings.json can only tighten (turn the sandbox on, sandbox hooks); what widens it
// (off, allowWrite, allowedDomains, allowUnixSockets) counts only from the user's own file, flags and environment. Pure: imports types.
import os from 'node:os';
import path from 'node:path';
import type { SandboxConfig, SandboxMode } from '../types.ts';

/** One level's `sandbox` values, checked. */
export interface SandboxValues {
  mode?: SandboxMode;
  allowWrite?: string[];
  allowedDomains?: string[];
  allowUnixSockets?: boolean;
  hooks?: boolean;
}

type Fail = (expected: string) => Error;

const MODE_WORDS: Record<string, SandboxMode> = { auto: 'auto', on: 'on', true: 'on', off: 'off', false: 'off' };

/** `--sandbox` / GLM_SANDBOX: auto, on or off (true and false too). */
export function sandboxModeText(text: string | undefined, fail: Fail): SandboxMode | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const mode = MODE_WORDS[text.trim().toLowerCase()];
  if (!mode) throw fail(`auto, on or off, got "${text}"`);
  return mode;
}

/**
 * The settings file's `"sandbox"`: `"auto"`, `true`, `false`, or
 * `{"enabled": "auto"|true|false, "allowWrite": [...], "network": {"allowedDomains": [...]}, "hooks": true}`.
 */
export function sandboxFileValue(raw: unknown, fail: Fail): SandboxValues | undefined {
  if (raw === undefined) return undefined;
  const example = '"auto", true, false or {"enabled": true, "allowWrite": ["~/.cache"], "network": {"allowedDomains": ["registry.npmjs.org"]}}';
  if (typeof raw === 'boolean' || typeof raw === 'string') return { mode: modeOf(raw, () => fail(example)) };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail(example);
  const o = raw as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['enabled', 'allowWrite', 'network', 'hooks', 'allowUnixSockets'].includes(k));
  if (unknown.length) throw fail(`an object with enabled, allowWrite, network, allowUnixSockets and hooks (not "${unknown[0]}")`);
  const strings = (v: unknown, what: string) => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim() !== '')) throw fail(`${what} as a list of strings`);
    return (v as string[]).map((x) => x.trim());
  };
  const network = o.network ?? {};
  if (typeof network !== 'object' || network === null || Array.isArray(network)) throw fail('"network" as an object like {"allowedDomains": ["github.com"]}');
  const domains = strings((network as Record<string, unknown>).allowedDomains, '"network.allowedDomains"');
  for (const d of domains ?? []) if (!/^(\*\.)?[a-z0-9.-]+$/i.test(d)) throw fail(`host names in "network.allowedDomains" (like "github.com" or "*.npmjs.org"), not "${d}"`);
  if (o.hooks !== undefined && typeof o.hooks !== 'boolean') throw fail('"hooks" as true or false');
  if (o.allowUnixSockets !== undefined && typeof o.allowUnixSockets !== 'boolean') throw fail('"allowUnixSockets" as true or false');
  return {
    ...(o.enabled !== undefined && { mode: modeOf(o.enabled, () => fail('"enabled" as "auto", true or false')) }),
    ...(o.allowWrite !== undefined && { allowWrite: strings(o.allowWrite, '"allowWrite"') }),
    ...(domains && { allowedDomains: domains.map((d) => d.toLowerCase()) }),
    ...(o.hooks !== undefined && { hooks: o.hooks as boolean }),
    ...(o.allowUnixSockets !== undefined && { allowUnixSockets: o.allowUnixSockets as boolean }),
  };
}

function modeOf(v: unknown, fail: () => Error): SandboxMode {
  if (v === true) return 'on';
  if (v === false) return 'off';
  if (v === 'auto') return 'auto';
  throw fail();
}

export interface SandboxLevels {
  flags?: SandboxValues;
  env?: SandboxValues;
  project?: SandboxValues;
  user?: SandboxValues;
  projectFile: string;
  cwd: string;
  home?: string;
}

/** The merged setting. Warnings name what a project file tried to widen (ignored). */
export function resolveSandbox(l: SandboxLevels, warnings: string[]): SandboxConfig {
  const home = l.home ?? os.homedir();
  const p = l.project;
  if (p && (p.mode === 'off' || p.allowWrite || p.allowedDomains || p.allowUnixSockets)) {
    warnings.push(`${l.projectFile} cannot turn the sandbox off or widen it (allowWrite, network, allowUnixSockets); only your user settings can, so that part is ignored`);
  }
  const projectMode = p?.mode === 'on' ? 'on' : undefined;
  const mode = l.flags?.mode ?? l.env?.mode ?? projectMode ?? l.user?.mode ?? 'auto';
  const abs = (d: string) => path.resolve(l.cwd, d === '~' ? home : d.startsWith('~/') ? path.join(home, d.slice(2)) : d);
  return {
    mode,
    allowWrite: [...new Set((l.user?.allowWrite ?? []).map(abs))],
    allowedDomains: [...new Set(l.user?.allowedDomains ?? [])],
    ...(l.user?.allowUnixSockets && { allowUnixSockets: true }),
    hooks: p?.hooks === true || l.user?.hooks === true,
  };
}
