// Builds the one frozen Config: flags > environment > project .glm/settings.json > user settings > defaults.
// Reading each layer is config-layers.ts (ConfigError and CliFlags live there too, re-exported here). Imports it,
// providers, trust, permission rule syntax, limits and types; never the model client, the loop or any UI.
//
// Settings files (user: $XDG_CONFIG_HOME/glm-code/settings.json, default ~/.config/glm-code/settings.json;
// project: <project root>/.glm/settings.json), every key optional, unknown keys ignored:
//   { "provider": "zai-coding", "model": "glm-5.2", "baseUrl": "http://localhost:8000/v1",
//     "thinking": true, "reasoningEffort": "high", "maxTokens": 32768, "maxTurns": 100, "temperature": 0.7,
//     "permissions": { "defaultMode": "default", "allow": ["Bash(npm test:*)"], "deny": [], "ask": [] },
//     "apiKey": "…",   // user file only: a key in a project file would get committed
//     "passEnvToCommands": ["GLM_API_KEY"],  // user file only: key variables Bash may still see (command-env.ts)
//     "concurrency": 2, "idleTimeoutMs": 90000, "maxRetries": 3,
//     "contextWindow": 32768,      // override the model table (self-hosted servers often run less)
//     "compactThreshold": 0.85,    // compact when the next request would pass this share of the window
//     "autoCompact": true,         // false: compact only on overflow or /compact
//     "prices": { "glm-5.2": { "input": 0.6, "output": 2.2, "cachedInput": 0.11 } } }  // USD per million
//                                  // tokens, read by prices.ts (loadPrices), not part of Config
// Permission rules are the union of every level. A project file cannot choose bypassPermissions, and its
// baseUrl is never sent an API key (a cloned repository must not be able to redirect your key). Its allow rules
// and defaultMode acceptEdits apply only once the user trusts the project (trust.ts); its deny and ask rules and
// plan mode only tighten, so they always apply (an untrusted "defaultMode": "default" is ignored: it would undo
// the user's own plan mode).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, envLayer, fileLayer, flagLayer, type CliFlags, type Layer, type Values } from './config-layers.ts';
import { DEFAULT_MAX_TURNS } from './limits.ts';
import { RuleSyntaxError, parseRule } from './permissions.ts';
import { DEFAULT_MODEL, PROVIDER_IDS, getProvider, isProviderId, lookupModel, providerModelId } from './providers.ts';
import { fingerprintOf, isProjectTrusted, loosens, type Loosening, type ProjectTrust } from './trust.ts';
import type { Config, ModelInfo, PermissionMode } from './types.ts';

export { ConfigError, splitRuleList, type CliFlags } from './config-layers.ts';

export const PERMISSION_MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
export const REASONING_EFFORTS: readonly string[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
/** Default max_tokens cap. Reasoning counts against max_tokens on GLM, and a Write of a large file after long
 * thinking overflows 16K (GLM's SWE-bench setting); 32K leaves room for both at no cost when unused. */
export const DEFAULT_MAX_TOKENS = 32768;
export const DEFAULT_IDLE_TIMEOUT_MS = 90_000;
export const DEFAULT_MAX_RETRIES = 3;
/** Compact when the next request would pass this share of the context window. */
export const DEFAULT_COMPACT_THRESHOLD = 0.85;

type Picked<T> = { value: T; where: string; level: Layer['level'] };
type Picker = <K extends keyof Values>(key: K) => Picked<Values[K]> | undefined;

export function loadConfig(flags: CliFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dir = path.resolve(cwd);
  const configDir = configDirFromEnv(env);
  const dataDir = dataDirFromEnv(env);
  const projectRoot = findProjectRoot(dir);
  const projectFile = projectSettingsPath(projectRoot);
  const user = fileLayer(userSettingsPath(env), 'user');
  const fullProject = fileLayer(projectFile, 'project');
  if (fullProject?.values.apiKey !== undefined) {
    throw new ConfigError(
      `${projectFile} contains an apiKey, which would be committed with the project: move it to ${userSettingsPath(env)} or set GLM_API_KEY`,
    );
  }
  const gate = gateProject(fullProject, configDir, projectRoot);
  const project = gate.layer;
  const layers = [flagLayer(flags), envLayer(env), project, user].filter((l): l is Layer => l !== undefined);
  const pick: Picker = (key) => {
    const layer = layers.find((l) => l.values[key] !== undefined);
    return layer && { value: layer.values[key]!, where: layer.where(key), level: layer.level };
  };

  const providerPick = pick('provider');
  const provider = providerPick?.value ?? 'zai';
  if (!isProviderId(provider)) {
    throw new ConfigError(`Unknown provider "${provider}" (${providerPick?.where}): use one of ${PROVIDER_IDS.join(', ')}`);
  }
  const preset = getProvider(provider);
  const urlPick = pick('baseUrl');
  const baseURL = urlPick?.value ?? preset.baseURL;
  if (!baseURL) {
    throw new ConfigError(`Provider ${provider} needs a base URL: pass --base-url or set GLM_BASE_URL (e.g. http://localhost:8000/v1)`);
  }
  checkUrl(baseURL, urlPick?.where ?? `provider ${provider}`);
  const apiKey = resolveKey(env, provider, user?.values.apiKey, urlPick?.level === 'project' ? urlPick.where : undefined);

  const { model, thinking, reasoningEffort, maxTokens } = modelSettings(pick, provider);
  const windowPick = pick('contextWindow');
  const modelInfo = modelInfoFor(model, windowPick?.value);
  const temperature = pick('temperature')?.value;
  const modePick = pick('permissionMode');
  const allowRules = rules(layers, 'allow');
  const held = gate.heldBack && losesSomething(gate.heldBack, allowRules, modePick) ? gate.heldBack : undefined;

  const config: Config = {
    provider,
    dialect: preset.dialect,
    baseURL,
    ...(apiKey !== undefined && { apiKey }),
    model,
    modelInfo,
    ...(windowPick && { contextWindowSetting: windowPick.value }),
    thinking,
    ...(reasoningEffort !== undefined && { reasoningEffort }),
    maxTokens,
    ...(temperature !== undefined && { temperature }),
    permissionMode: permissionMode(modePick),
    allowRules,
    denyRules: rules(layers, 'deny'),
    askRules: rules(layers, 'ask'),
    maxTurns: pick('maxTurns')?.value ?? DEFAULT_MAX_TURNS,
    cwd: dir,
    projectRoot,
    dataDir,
    configDir,
    idleTimeoutMs: pick('idleTimeoutMs')?.value ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxRetries: pick('maxRetries')?.value ?? DEFAULT_MAX_RETRIES,
    concurrency: pick('concurrency')?.value ?? (preset.codingPlan ? 2 : 8),
    compactThreshold: pick('compactThreshold')?.value ?? DEFAULT_COMPACT_THRESHOLD,
    autoCompact: pick('autoCompact')?.value ?? true,
    // The user's file only: a project must not be able to hand your keys to the commands it asks for.
    ...(user?.values.passEnvToCommands && { passEnvToCommands: user.values.passEnvToCommands }),
    // Everything trusting would cover, even what another level gives anyway this time: the user sees it all.
    ...(held && { untrustedProject: { file: projectFile, ...held, fingerprint: fingerprintOf(held) } }),
  };
  return deepFreeze(config);
}

/** The project layer as far as it applies: without what it loosens while the project is not trusted. */
function gateProject(layer: Layer | undefined, configDir: string, projectRoot: string): { layer?: Layer; heldBack?: Loosening } {
  if (!layer) return {};
  const loosening = looseningOf(layer);
  const loose = loosens(loosening);
  if (loose && isProjectTrusted(configDir, projectRoot, fingerprintOf(loosening))) return { layer };
  // Of the modes, only plan can come from an untrusted project: "default" would undo the user's own plan mode.
  // bypassPermissions stays so that permissionMode() refuses it out loud, trusted or not.
  const { allow: _allow, permissionMode, ...rest } = layer.values;
  const kept = permissionMode === 'plan' || permissionMode === 'bypassPermissions';
  const values = { ...rest, ...(kept && { permissionMode }) };
  return { layer: { ...layer, values }, ...(loose && { heldBack: loosening }) };
}

/** What a project file loosens; every rule checked (a bad rule is an error, trusted or not). */
function looseningOf(layer: Layer | undefined): Loosening {
  if (!layer) return { allow: [] };
  const allow = [...new Set(ruleTexts(layer, 'allow'))];
  return layer.values.permissionMode === 'acceptEdits' ? { allow, defaultMode: 'acceptEdits' } : { allow };
}

/**
 * Whether the Config really goes without some of what an untrusted project loosens: an allow rule no other level
 * gives, or acceptEdits when no flag chose the mode and it is not the mode anyway. If not, nobody is told or asked.
 */
function losesSomething(held: Loosening, allowRules: string[], modePick: Picked<string> | undefined): boolean {
  const rule = held.allow.some((r) => !allowRules.includes(r));
  return rule || Boolean(held.defaultMode && modePick?.level !== 'flags' && modePick?.value !== held.defaultMode);
}

/** The current project's trust for `glm trust`: what its settings file loosens and whether that is trusted. */
export function projectTrust(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ProjectTrust {
  const projectRoot = findProjectRoot(cwd);
  const configDir = configDirFromEnv(env);
  const file = projectSettingsPath(projectRoot);
  const loosening = looseningOf(fileLayer(file, 'project'));
  const fingerprint = fingerprintOf(loosening);
  return { ...loosening, configDir, projectRoot, file, fingerprint, trusted: isProjectTrusted(configDir, projectRoot, fingerprint) };
}

/**
 * The model table's entry for `model`, with the contextWindow setting in place of its window when set: self-hosted
 * servers often run a smaller window than the model card's, and the server's limit holds for every model.
 */
export function modelInfoFor(model: string, contextWindowSetting?: number): ModelInfo {
  const info = lookupModel(model);
  return contextWindowSetting ? { ...info, contextWindow: contextWindowSetting } : info;
}

/** The model id to send and the thinking / effort / max_tokens it can take. */
function modelSettings(pick: Picker, provider: Config['provider']) {
  const model = providerModelId(provider, pick('model')?.value ?? DEFAULT_MODEL);
  const modelInfo = lookupModel(model);
  const wanted = pick('thinking')?.value ?? true;
  const thinking = modelInfo.thinking === 'none' ? false : modelInfo.thinking === 'always' ? true : wanted;
  const effort = pick('reasoningEffort');
  if (effort && !REASONING_EFFORTS.includes(effort.value)) {
    throw new ConfigError(`Invalid reasoning effort "${effort.value}" (${effort.where}): use one of ${REASONING_EFFORTS.join(', ')}`);
  }
  // Known models without reasoning_effort reject it (1210); an unknown model gets what the user asked for.
  const reasoningEffort = modelInfo.reasoningEffort || !modelInfo.known ? effort?.value : undefined;
  // Never ask a known model for more than it can produce; an unknown one gets what the user set.
  const tokens = pick('maxTokens')?.value;
  const cap = modelInfo.known ? modelInfo.maxOutput : Infinity;
  const maxTokens = tokens === undefined ? Math.min(DEFAULT_MAX_TOKENS, modelInfo.maxOutput) : Math.min(tokens, cap);
  return { model, thinking, reasoningEffort, maxTokens };
}

/** The nearest folder at or above `cwd` holding `.git` (a folder, or a file in worktrees); else `cwd`. */
export function findProjectRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

/** Where sessions and undo data live: $XDG_DATA_HOME/glm-code, default ~/.local/share/glm-code. */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir(env.XDG_DATA_HOME, path.join(env.HOME || os.homedir(), '.local', 'share'));
}

/** The user's glm-code config folder: settings.json, trusted-projects.json, commands/. */
export function configDirFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return xdgDir(env.XDG_CONFIG_HOME, path.join(env.HOME || os.homedir(), '.config'));
}

export function userSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDirFromEnv(env), 'settings.json');
}

export function projectSettingsPath(projectRoot: string): string {
  return path.join(projectRoot, '.glm', 'settings.json');
}

function xdgDir(xdg: string | undefined, fallback: string): string {
  // The XDG spec ignores relative values.
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : fallback, 'glm-code');
}

function resolveKey(
  env: NodeJS.ProcessEnv,
  provider: Config['provider'],
  userKey: string | undefined,
  projectUrl: string | undefined,
): string | undefined {
  const preset = getProvider(provider);
  const fromEnv = preset.keyEnv.map((name) => env[name]?.trim()).find((v) => v);
  // A key in the user file is for the hosted services; it is not handed to arbitrary local or custom servers.
  const key = fromEnv ?? (preset.keyRequired ? userKey : undefined);
  if (projectUrl && key) {
    if (!preset.keyRequired) return undefined;
    throw new ConfigError(
      `The project sets ${projectUrl}; glm-code will not send your API key to an address chosen by a project file: pass --base-url or set GLM_BASE_URL to confirm it`,
    );
  }
  if (preset.keyRequired && !key) {
    const [first, ...rest] = preset.keyEnv;
    throw new ConfigError(`No API key for provider ${provider}: set ${first}${rest.length ? ` (or ${rest.join(', ')})` : ''}`);
  }
  return key;
}

function checkUrl(url: string, where: string): void {
  if (URL.canParse(url) && ['http:', 'https:'].includes(new URL(url).protocol)) return;
  const shown = url.replace(/\/\/[^/@]*@/, '//…@');
  throw new ConfigError(`Invalid base URL "${shown}" (${where}): use an http(s) URL such as http://localhost:8000/v1`);
}

function permissionMode(picked: Picked<string> | undefined): PermissionMode {
  if (!picked) return 'default';
  const mode = PERMISSION_MODES.find((m) => m === picked.value);
  if (!mode) throw new ConfigError(`Invalid permission mode "${picked.value}" (${picked.where}): use one of ${PERMISSION_MODES.join(', ')}`);
  if (mode === 'bypassPermissions' && picked.level === 'project') {
    throw new ConfigError(`A project file cannot turn on bypassPermissions (${picked.where}): pass --permission-mode bypassPermissions yourself`);
  }
  return mode;
}

/** The union of one rule list across levels, each rule checked, in order user → project → env → flags. */
function rules(layers: Layer[], key: 'allow' | 'deny' | 'ask'): string[] {
  return [...new Set([...layers].reverse().flatMap((layer) => ruleTexts(layer, key)))];
}

/** One level's rules of one list, each checked and trimmed. */
function ruleTexts(layer: Layer, key: 'allow' | 'deny' | 'ask'): string[] {
  return (layer.values[key] ?? []).map((text) => {
    try {
      return parseRule(text, layer.where(key)).text;
    } catch (e) {
      if (e instanceof RuleSyntaxError) throw new ConfigError(e.message);
      throw e;
    }
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
