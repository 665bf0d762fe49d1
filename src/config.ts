// Builds the one frozen Config: flags > environment > project .glm/settings.local.json > .glm/settings.json > user
// settings > defaults. Reading each layer is config-layers.ts (ConfigError and CliFlags live there too, re-exported
// here; the two project files merge in config-project.ts; the provider, base URL and API key are config-endpoint.ts).
// Imports them, providers, trust, permission rule syntax, limits and types; never the model client, the loop or any UI.
//
// Settings files (user: $XDG_CONFIG_HOME/glm-code/settings.json, default ~/.config/glm-code/settings.json;
// project: <project root>/.glm/settings.json, and the same keys in .glm/settings.local.json, which wins for a
// key and adds its rules; both are "the project file" below), every key optional, unknown keys ignored with a warning:
//   { "provider": "zai-coding", "model": "glm-5.2", "baseUrl": "http://localhost:8000/v1",
//     "thinking": true, "reasoningEffort": "high", "maxTokens": 32768, "maxTurns": 100, "temperature": 0.7,
//     "permissions": { "defaultMode": "default", "allow": ["Bash(npm test:*)"], "deny": [], "ask": [],
//                      "additionalDirectories": ["../shared", "~/notes"] },   // config-folders.ts
//     "apiKey": "…",   // user file only: a key in a project file would get committed
//     "passEnvToCommands": ["GLM_API_KEY"],  // user file only: key variables Bash may still see (command-env.ts)
//     "concurrency": 2, "idleTimeoutMs": 90000, "maxRetries": 3,
//     "contextWindow": 32768,      // override the model table (self-hosted servers often run less)
//     "compactThreshold": 0.85,    // compact when the next request would pass this share of the window
//     "autoCompact": true,         // false: compact only on overflow or /compact
//     "sandbox": "auto",           // or true / false / {"enabled", "allowWrite", "network": {"allowedDomains"},
//                                  //   "hooks"}: the command sandbox (src/sandbox/settings.ts)
//     "prices": { "glm-5.2": { "input": 0.6, "output": 2.2, "cachedInput": 0.11 } } }  // USD per million
//                                  // tokens, read by prices.ts (loadPrices), not part of Config
// Permission rules and added folders are the union of every level. A project file cannot choose
// bypassPermissions. Its allow rules, defaultMode acceptEdits, provider, baseUrl, additionalDirectories and the
// keys that choose what the user pays (config-costly.ts) apply only once the user trusts the project (trust.ts):
// a cloned repository must not redirect the session, widen what runs unasked or run up the bill. Its deny and ask rules and plan mode only tighten, so they always apply (an untrusted
// "defaultMode": "default" is ignored: it would undo the user's own plan mode). An API key goes only where it
// belongs (config-endpoint.ts): even a trusted project's address gets none that is not its own.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addedFolders, resolveFolder } from './config-folders.ts';
import { costlyEntries, costlyLost, withoutCostly } from './config-costly.ts';
import { checkedProvider, checkUrl, endpoint } from './config-endpoint.ts';
import { ConfigError, envLayer, fileLayer, flagLayer, picker, type CliFlags, type Layer, type Picked, type Picker } from './config-layers.ts';
import { projectSettingsPath, readProjectLevel, type ProjectLevel } from './config-project.ts';
import { DEFAULT_MAX_TURNS } from './limits.ts';
import { hookTrustValue, loadHookSets, type HookSets } from './hooks/settings.ts';
import { keepLocalSettingsIgnored } from './local-settings.ts';
import { configuredServers, projectServers, startupTimeout } from './mcp/config-sources.ts';
import { trustValue } from './mcp/config.ts';
import { RuleSyntaxError, parseRule } from './permissions.ts';
import { resolveSandbox } from './sandbox/settings.ts';
import { shellQuote } from './shell-quote.ts';
import { DEFAULT_MODEL, defaultVisionModel, lookupModel, providerModelId } from './providers.ts';
import { projectExtensionEntries } from './agents/places.ts';
import { bashRuleCommands, scriptEntries } from './project-scripts.ts';
import { fingerprintOf, isProjectTrusted, loosens, type Loosening, type ProjectTrust } from './trust.ts';
import type { Config, LooseningEntry, McpServerDef, McpServerEntry, ModelInfo, PermissionMode } from './types.ts';

export { ConfigError, splitRuleList, type CliFlags } from './config-layers.ts';

export const PERMISSION_MODES: readonly PermissionMode[] = ['default', 'acceptEdits', 'plan', 'bypassPermissions'];
export const REASONING_EFFORTS: readonly string[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];
/** Default max_tokens cap. Reasoning counts against max_tokens on GLM, and a Write of a large file after long
 * thinking overflows 16K (GLM's SWE-bench setting); 32K leaves room for both at no cost when unused. */
export const DEFAULT_MAX_TOKENS = 32768;
export const DEFAULT_IDLE_TIMEOUT_MS = 90_000;
/** A whole response may take long (32K output tokens at 40 tokens/s is ~14 min): 30 min before it is retried. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_MAX_RETRIES = 3;
/** Saved full outputs of all sessions together (src/saved-outputs.ts). */
export const DEFAULT_SAVED_OUTPUTS_MAX_MB = 500;
/** Compact when the next request would pass this share of the context window. */
export const DEFAULT_COMPACT_THRESHOLD = 0.85;

export function loadConfig(flags: CliFlags, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dir = path.resolve(cwd);
  const configDir = configDirFromEnv(env);
  const dataDir = dataDirFromEnv(env);
  const home = env.HOME || os.homedir();
  const projectRoot = findProjectRoot(dir);
  const projectFile = projectSettingsPath(projectRoot);
  const user = fileLayer(userSettingsPath(env), 'user');
  const level = projectLevel(projectRoot, env);
  const fullProject = level.layer;
  const mcpProject = projectServers(projectRoot);
  const hookSets = loadHookSets({ userSettings: userSettingsPath(env), home, projectRoot });
  keepLocalSettingsIgnored(projectRoot);
  const gate = gateProject(fullProject, configDir, projectRoot, home, mcpProject, hookSets, level.prices, dir);
  const levels = (...ls: (Layer | undefined)[]) => ls.filter((l): l is Layer => l !== undefined);
  const [flagLevel, envLevel] = [flagLayer(flags), envLayer(env)];
  const layers = levels(flagLevel, envLevel, gate.layer, user);
  const pick = picker(layers);
  const full = picker(levels(flagLevel, envLevel, fullProject, user));
  const { provider, preset, baseURL, apiKey } = endpoint(pick, picker(levels(flagLevel, envLevel, user)), env, user?.values.apiKey);

  const { model, thinking, reasoningEffort, maxTokens } = modelSettings(pick, provider);
  const windowPick = pick('contextWindow');
  const modelInfo = modelInfoFor(model, windowPick?.value);
  const temperature = pick('temperature')?.value;
  const mode = permissionMode(pick('permissionMode'));
  const allowRules = rules(layers, 'allow');
  const warnings: string[] = [...(user?.warnings ?? []), ...(fullProject?.warnings ?? []), ...hookSets.warnings];
  const hooks = [...hookSets.user, ...(gate.trusted ? hookSets.project : [])];
  const additionalDirectories = addedFolders(layers, { cwd: dir, projectRoot, home }, warnings);
  const mcpServers = configuredServers({ flags, cwd: dir, projectRoot, user, project: gate.servers }, warnings);
  const sandboxLevels = { flags: flagLevel.values.sandbox, env: envLevel.values.sandbox, project: fullProject?.values.sandbox, user: user?.values.sandbox };
  const sandboxFile = level.files.findLast((f) => f.layer.values.sandbox !== undefined)?.file ?? projectFile;
  const sandbox = resolveSandbox({ ...sandboxLevels, projectFile: sandboxFile, cwd: dir, home }, warnings);
  const effective = { allowRules, additionalDirectories, permissionMode: mode, provider, baseURL, mcpServers };
  const held = gate.heldBack && gate.heldBack.entries.some((e) => lost(e, full, effective, pick)) ? gate.heldBack : undefined;

  const config: Config = {
    provider,
    dialect: preset.dialect,
    baseURL,
    ...(apiKey !== undefined && { apiKey }),
    model,
    modelInfo,
    ...visionModelOf(pick, provider),
    ...(windowPick && { contextWindowSetting: windowPick.value }),
    thinking,
    ...(reasoningEffort !== undefined && { reasoningEffort }),
    maxTokens,
    ...(temperature !== undefined && { temperature }),
    permissionMode: mode,
    allowRules,
    denyRules: rules(layers, 'deny'),
    askRules: rules(layers, 'ask'),
    maxTurns: pick('maxTurns')?.value ?? DEFAULT_MAX_TURNS,
    cwd: dir,
    projectRoot,
    dataDir,
    configDir,
    idleTimeoutMs: pick('idleTimeoutMs')?.value ?? DEFAULT_IDLE_TIMEOUT_MS,
    responseTimeoutMs: pick('responseTimeoutMs')?.value ?? DEFAULT_RESPONSE_TIMEOUT_MS,
    savedOutputsMaxMB: pick('savedOutputsMaxMB')?.value ?? DEFAULT_SAVED_OUTPUTS_MAX_MB,
    maxRetries: pick('maxRetries')?.value ?? DEFAULT_MAX_RETRIES,
    concurrency: pick('concurrency')?.value ?? (preset.codingPlan ? 2 : 8),
    compactThreshold: pick('compactThreshold')?.value ?? DEFAULT_COMPACT_THRESHOLD,
    autoCompact: pick('autoCompact')?.value ?? true,
    ...((env.GLM_WEBFETCH_ALLOW_PRIVATE === '1' || user?.values.webFetchAllowPrivate === true) && { webFetchAllowPrivate: true }),
    // The user's file only: a project must not be able to hand your keys to the commands it asks for.
    ...(user?.values.passEnvToCommands && { passEnvToCommands: user.values.passEnvToCommands }),
    additionalDirectories,
    mcpServers,
    ...(hooks.length && { hooks }),
    mcpStartupTimeoutMs: startupTimeout(env, pick('mcpStartupTimeoutMs')?.value),
    mcpToolSearch: pick('mcpToolSearch')?.value,
    sandbox,
    // Everything trusting would cover, even what another level gives anyway this time: the user sees it all.
    ...(held && { untrustedProject: { file: projectFile, ...settingsFiles(level, projectRoot, home), ...held, fingerprint: fingerprintOf(held) } }),
    ...(gate.trusted && { projectTrusted: true }),
    ...(pick('agents') && { agents: pick('agents')!.value }),
    ...(warnings.length && { warnings }),
  };
  return deepFreeze(config);
}

/**
 * The project layer as far as it applies: without what it loosens while the project is not trusted. Its .mcp.json
 * servers (`servers`) and its hooks run code or name hosts, so they too start only in a trusted project.
 */
function gateProject(
  layer: Layer | undefined,
  configDir: string,
  projectRoot: string,
  home: string,
  servers: Record<string, McpServerDef> | undefined,
  hooks: HookSets,
  prices: unknown,
  cwd: string,
): { layer?: Layer; heldBack?: Loosening; servers?: Record<string, McpServerDef>; trusted?: boolean } {
  const loosening = looseningOf(layer, projectRoot, home, servers, hooks, prices, cwd);
  const loose = loosens(loosening);
  if (loose && isProjectTrusted(configDir, projectRoot, fingerprintOf(loosening))) return { layer, servers, trusted: true };
  if (!layer) return loose ? { heldBack: loosening } : {};
  // Of the modes, only plan can come from an untrusted project: "default" would undo the user's own plan mode.
  // bypassPermissions stays so that permissionMode() refuses it out loud, trusted or not.
  const { allow: _allow, provider: _provider, baseUrl: _baseUrl, additionalDirectories: _dirs, permissionMode, ...rest } = layer.values;
  const kept = permissionMode === 'plan' || permissionMode === 'bypassPermissions';
  const values = { ...withoutCostly(rest), ...(kept && { permissionMode }) };
  return { layer: { ...layer, values }, ...(loose && { heldBack: loosening }) };
}

/**
 * What a project file loosens, every value checked: a bad rule, provider or URL is an error, trusted or not. Its
 * folders are resolved from the project root, so trust covers where they really are.
 */
function looseningOf(layer: Layer | undefined, projectRoot: string, home: string, servers?: Record<string, McpServerDef>, hooks?: HookSets, prices?: unknown, cwd?: string): Loosening {
  const outside = Object.entries(servers ?? {}).map(([name, def]): LooseningEntry => ({ kind: 'mcpServer', value: trustValue(name, def) }));
  outside.push(...(hooks?.project ?? []).map((h): LooseningEntry => ({ kind: 'hook', value: hookTrustValue(h, projectRoot) })));
  // The project's agents and skills (.glm/agents, .claude/skills …) steer the model: trusted projects only.
  outside.push(...projectExtensionEntries(projectRoot, home, cwd));
  const settings = settingsEntries(layer, projectRoot, home, prices);
  // The project's own files that its hooks, servers and allow rules run: trust covers them as they are now.
  const commands = [
    ...(hooks?.project ?? []).filter((h) => !h.http && !h.prompt && h.callbackId === undefined).map((h) => h.command),
    ...Object.values(servers ?? {}).flatMap((d) => (d.type === 'stdio' ? [[d.command, ...d.args].map(shellQuote).join(' ')] : [])),
    ...bashRuleCommands(settings.filter((e) => e.kind === 'allow').map((e) => e.value)),
  ];
  return { entries: [...settings, ...outside, ...scriptEntries(commands, projectRoot, cwd)] };
}

/** A word as the shell would read it back as one (an MCP server's argv, checked by project-scripts.ts). */

/** What a project settings layer itself loosens: rules, mode, provider, URL, folders and costly keys. */
function settingsEntries(layer: Layer | undefined, projectRoot: string, home: string, prices: unknown): LooseningEntry[] {
  const costly = costlyEntries(layer, prices);
  if (!layer) return costly;
  const v = layer.values;
  const entry = (kind: LooseningEntry['kind']) => (value: string): LooseningEntry => ({ kind, value });
  if (v.provider !== undefined) checkedProvider(v.provider, layer.where('provider'));
  if (v.baseUrl !== undefined) checkUrl(v.baseUrl, layer.where('baseUrl'));
  return [
    ...[...new Set(ruleTexts(layer, 'allow'))].map(entry('allow')),
    ...(v.permissionMode === 'acceptEdits' ? ['acceptEdits'] : []).map(entry('defaultMode')),
    ...(v.provider !== undefined ? [v.provider] : []).map(entry('provider')),
    ...(v.baseUrl !== undefined ? [v.baseUrl] : []).map(entry('baseUrl')),
    ...[...new Set((v.additionalDirectories ?? []).map((d) => resolveFolder(d, projectRoot, home).path))].map(entry('additionalDirectory')),
    ...costly,
  ];
}

/**
 * The project's two settings files, each checked on its own first (a bad rule names its file; neither may hold
 * an apiKey), then merged (config-project.ts).
 */
function projectLevel(projectRoot: string, env: NodeJS.ProcessEnv): ProjectLevel {
  const level = readProjectLevel(projectRoot);
  for (const { file, layer } of level.files) {
    if (layer.values.apiKey !== undefined) {
      const why = file === projectSettingsPath(projectRoot) ? 'which would be committed with the project' : 'which glm reads only from your own settings';
      throw new ConfigError(`${file} contains an apiKey, ${why}: move it to ${userSettingsPath(env)} or set GLM_API_KEY`);
    }
    for (const key of ['allow', 'deny', 'ask'] as const) ruleTexts(layer, key);
  }
  return level;
}

/**
 * The settings files an untrusted project's own entries come from, when .glm/settings.local.json is one of them
 * (Config.untrustedProject.settingsFiles; without it, the notice names .glm/settings.json).
 */
function settingsFiles(level: ProjectLevel, projectRoot: string, home: string): { settingsFiles?: string[] } {
  const files = level.files.filter((f) => settingsEntries(f.layer, projectRoot, home, f.prices).length).map((f) => f.file);
  return files.some((f) => f !== projectSettingsPath(projectRoot)) ? { settingsFiles: files } : {};
}

/**
 * Whether the Config really goes without one thing an untrusted project loosens: an allow rule or folder no other
 * level gives, or a mode, provider or URL the project's file would have set (no flag or variable chooses it) that
 * is not the one used anyway. If nothing is lost, nobody is told or asked.
 */
function lost(
  e: LooseningEntry,
  full: Picker,
  c: Pick<Config, 'allowRules' | 'additionalDirectories' | 'permissionMode' | 'provider' | 'baseURL' | 'mcpServers'>,
  pick: Picker,
): boolean {
  if (e.kind === 'setting') return costlyLost(e.value, full, pick);
  if (e.kind === 'allow') return !c.allowRules.includes(e.value);
  if (e.kind === 'hook') return true; // held back only while untrusted, and then no project hook runs
  // Lost unless it runs anyway, or a server of yours of that name runs instead (configuredServers): trust would not start it.
  if (e.kind === 'mcpServer') return !(c.mcpServers ?? []).some((s: McpServerEntry) => trustValue(s.name, s.def) === e.value || (s.scope !== 'project' && s.name === serverName(e.value)));
  if (e.kind === 'additionalDirectory') return !c.additionalDirectories.includes(e.value);
  if (e.kind === 'agent' || e.kind === 'skill') return true; // nothing else loads a project's agents and skills
  if (e.kind === 'command' || e.kind === 'script') return true; // what runs them is held back with them
  const [key, used] = e.kind === 'defaultMode' ? (['permissionMode', c.permissionMode] as const) : e.kind === 'provider' ? (['provider', c.provider] as const) : (['baseUrl', c.baseURL] as const);
  return full(key)?.level === 'project' && used !== e.value;
}

/** The server name of an mcpServer trust value (mcp/config.ts trustValue). */
function serverName(value: string): string | undefined {
  try {
    return (JSON.parse(value) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

/** The current project's trust for `glm trust`: what its settings file loosens and whether that is trusted. */
export function projectTrust(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ProjectTrust {
  const projectRoot = findProjectRoot(cwd);
  const configDir = configDirFromEnv(env);
  const file = projectSettingsPath(projectRoot);
  const home = env.HOME || os.homedir();
  const hooks = loadHookSets({ userSettings: userSettingsPath(env), home, projectRoot });
  const level = projectLevel(projectRoot, env);
  const loosening = looseningOf(level.layer, projectRoot, home, projectServers(projectRoot), hooks, level.prices, path.resolve(cwd));
  const fingerprint = fingerprintOf(loosening);
  const trusted = isProjectTrusted(configDir, projectRoot, fingerprint);
  return { ...loosening, configDir, projectRoot, file, ...settingsFiles(level, projectRoot, home), fingerprint, trusted };
}

/** The same configuration for another model (a subagent's): its window, and no more output than it allows. */
export function withModel(config: Config, model: string): Config {
  const modelInfo = modelInfoFor(model, config.contextWindowSetting);
  return Object.freeze({ ...config, model, modelInfo, maxTokens: Math.min(config.maxTokens, modelInfo.maxOutput) });
}

/** The "visionModel" setting, else the provider's default; "none" turns routing off. */
function visionModelOf(pick: Picker, provider: Config['provider']): { visionModel?: string } {
  const set = pick('visionModel')?.value;
  const model = set ?? defaultVisionModel(provider);
  return model && model.toLowerCase() !== 'none' ? { visionModel: providerModelId(provider, model) } : {};
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

export { localSettingsPath, projectSettingsPath } from './config-project.ts';

function xdgDir(xdg: string | undefined, fallback: string): string {
  // The XDG spec ignores relative values.
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : fallback, 'glm-code');
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
