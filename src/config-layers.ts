// Reads one configuration layer each: command-line flags, GLM_* environment variables, a settings file (JSON
// checked key by key, errors naming the key and file, a warning for a key it does not know); plus ConfigError,
// which config.ts re-exports, and picker (the first level that sets a key). Imports json-file, closest-word,
// terminal-text and mcp/config.ts (shapes only); never providers, the model client, the loop or any UI.
import { closestWord } from './closest-word.ts';
import { readJsonObjectFile } from './json-file.ts';
import { McpConfigError, parseServers } from './mcp/config.ts';
import { sandboxFileValue, sandboxModeText, type SandboxValues } from './sandbox/settings.ts';
import { safeLine } from './terminal-text.ts';
import type { McpServerDef } from './types.ts';

export interface CliFlags {
  provider?: string;
  model?: string;
  baseUrl?: string;
  thinking?: 'on' | 'off';
  reasoningEffort?: string;
  permissionMode?: string;
  allowedTools?: string[];
  disallowedTools?: string[];
  /** --add-dir, as typed: relative to the working directory. */
  addDir?: string[];
  /** Strings straight from the command line are accepted and validated. */
  maxTurns?: number | string;
  maxTokens?: number | string;
  /** --mcp-config: files or JSON texts with "mcpServers". */
  mcpConfig?: string[];
  /** --strict-mcp-config: only the --mcp-config servers. */
  strictMcpConfig?: boolean;
  /** --sandbox auto|on|off. */
  sandbox?: string;
}

export type Picked<T> = { value: T; where: string; level: Layer['level'] };
export type Picker = <K extends keyof Values>(key: K) => Picked<Values[K]> | undefined;

/** The first level (in the order given) that sets a key. */
export function picker(layers: Layer[]): Picker {
  return (key) => {
    const layer = layers.find((l) => l.values[key] !== undefined);
    return layer && { value: layer.values[key]!, where: layer.where(key), level: layer.level };
  };
}

/** A configuration problem, found before any request. The message is one line that names the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** What the error is about, when it is the endpoint or its key (`glm doctor` reports those as failed checks). */
  constructor(message: string, readonly concerns?: 'key' | 'endpoint') {
    super(message);
  }
}

/** One level's values, already type-checked, plus where each came from (for error messages). */
export interface Values {
  provider: string; model: string; visionModel: string; baseUrl: string; reasoningEffort: string; permissionMode: string; apiKey: string;
  thinking: boolean;
  maxTokens: number; maxTurns: number; temperature: number; concurrency: number; idleTimeoutMs: number; responseTimeoutMs: number; maxRetries: number; savedOutputsMaxMB: number;
  allow: string[]; deny: string[]; ask: string[]; additionalDirectories: string[];
  contextWindow: number; compactThreshold: number; autoCompact: boolean;
  passEnvToCommands: string[];
  /** The user file's "webFetch.allowPrivateNetwork" (a project cannot open the private network to WebFetch). */
  webFetchAllowPrivate: boolean;
  mcpStartupTimeoutMs: number;
  mcpToolSearch: 'auto' | 'always' | 'never' | number;
  /** The user file's "mcpServers" (a project's .glm/settings.json holds none: its servers are in .mcp.json). */
  mcpServers: Record<string, McpServerDef>;
  /** The user file's "projects": {"<project root>": {"mcpServers": …}} (servers of the local scope), unchecked. */
  projects: Record<string, unknown>;
  /** "sandbox", --sandbox, GLM_SANDBOX (src/sandbox/settings.ts). */
  sandbox: SandboxValues;
  /** "agents": Explore's model and the model aliases of agent files (src/agents/models.ts). */
  agents: { exploreModel?: string; modelAliases?: Record<string, string> };
}
export interface Layer {
  level: 'flags' | 'env' | 'project' | 'user';
  values: Partial<Values>;
  where(key: keyof Values): string;
  /** A settings file's keys that nothing reads (a typo, most often), one line each. */
  warnings?: string[];
}

const FLAG_NAMES: Partial<Record<keyof Values, string>> = {
  provider: '--provider', model: '--model', baseUrl: '--base-url', thinking: '--thinking',
  reasoningEffort: '--reasoning-effort', permissionMode: '--permission-mode', maxTurns: '--max-turns',
  maxTokens: '--max-tokens', allow: '--allowedTools', deny: '--disallowedTools', additionalDirectories: '--add-dir',
  sandbox: '--sandbox',
};
const ENV_NAMES: Partial<Record<keyof Values, string>> = {
  provider: 'GLM_PROVIDER', model: 'GLM_MODEL', visionModel: 'GLM_VISION_MODEL', baseUrl: 'GLM_BASE_URL', thinking: 'GLM_THINKING',
  reasoningEffort: 'GLM_REASONING_EFFORT', maxTurns: 'GLM_MAX_TURNS', maxTokens: 'GLM_MAX_TOKENS', sandbox: 'GLM_SANDBOX',
};

export function flagLayer(flags: CliFlags): Layer {
  const layer = textLayer('flags', flags, (key) => FLAG_NAMES[key] ?? key);
  layer.values.allow = flags.allowedTools?.flatMap(splitRuleList);
  layer.values.deny = flags.disallowedTools?.flatMap(splitRuleList);
  layer.values.additionalDirectories = flags.addDir?.map((d) => d.trim()).filter(Boolean);
  layer.values.sandbox = sandboxLevel(flags.sandbox, layer.where('sandbox'));
  return layer;
}

export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const get = (key: keyof Values) => env[ENV_NAMES[key]!];
  const text = { provider: get('provider'), model: get('model'), visionModel: get('visionModel'), baseUrl: get('baseUrl'), thinking: get('thinking'),
    reasoningEffort: get('reasoningEffort'), maxTurns: get('maxTurns'), maxTokens: get('maxTokens') }; // prettier-ignore
  const layer = textLayer('env', text, (key) => ENV_NAMES[key] ?? key);
  layer.values.sandbox = sandboxLevel(get('sandbox'), layer.where('sandbox'));
  return layer;
}

function sandboxLevel(text: string | undefined, where: string): SandboxValues | undefined {
  const mode = sandboxModeText(text, (expected) => new ConfigError(`${where} must be ${expected}`));
  return mode && { mode };
}

/** Flags and environment variables arrive as text: trim, drop empty values, parse switches and numbers. */
type TextValues = Partial<Record<'provider' | 'model' | 'visionModel' | 'baseUrl' | 'thinking' | 'reasoningEffort' | 'permissionMode', string>> &
  Pick<CliFlags, 'maxTurns' | 'maxTokens'>;
function textLayer(level: 'flags' | 'env', text: TextValues, where: Layer['where']): Layer {
  const thinking = nonEmpty(text.thinking);
  const values: Partial<Values> = {
    provider: nonEmpty(text.provider),
    model: nonEmpty(text.model),
    visionModel: nonEmpty(text.visionModel),
    baseUrl: nonEmpty(text.baseUrl),
    thinking: thinking === undefined ? undefined : onOff(thinking, where('thinking')),
    reasoningEffort: nonEmpty(text.reasoningEffort),
    permissionMode: nonEmpty(text.permissionMode),
    maxTurns: wholeNumber(text.maxTurns, where('maxTurns')),
    maxTokens: wholeNumber(text.maxTokens, where('maxTokens')),
  };
  return { level, values, where };
}

const FILE_KEYS: Record<keyof Values, string> = {
  provider: 'provider', model: 'model', visionModel: 'visionModel', baseUrl: 'baseUrl', thinking: 'thinking',
  reasoningEffort: 'reasoningEffort', maxTokens: 'maxTokens', maxTurns: 'maxTurns', temperature: 'temperature',
  permissionMode: 'permissions.defaultMode', allow: 'permissions.allow', deny: 'permissions.deny',
  ask: 'permissions.ask', additionalDirectories: 'permissions.additionalDirectories', apiKey: 'apiKey',
  concurrency: 'concurrency', idleTimeoutMs: 'idleTimeoutMs', responseTimeoutMs: 'responseTimeoutMs', savedOutputsMaxMB: 'savedOutputsMaxMB',
  maxRetries: 'maxRetries', contextWindow: 'contextWindow', compactThreshold: 'compactThreshold', autoCompact: 'autoCompact',
  passEnvToCommands: 'passEnvToCommands', webFetchAllowPrivate: 'webFetch.allowPrivateNetwork', mcpStartupTimeoutMs: 'mcp.startupTimeoutMs', mcpToolSearch: 'mcp.toolSearch', mcpServers: 'mcpServers',
  projects: 'projects', sandbox: 'sandbox', agents: 'agents',
};

/** Keys other modules read from the same files: prices.ts (loadPrices), hooks/settings.ts (loadHookSets). */
const OTHER_FILE_KEYS = ['prices', 'hooks', 'claudeCompat'];

/**
 * One line per key of a settings file that nothing reads, with the known key it is closest to (`"modle"` →
 * `"model"`). The known keys are FILE_KEYS (what fileLayer reads) and OTHER_FILE_KEYS; `$schema` and the like pass.
 */
function unknownKeys(data: Record<string, unknown>, perms: object, file: string): string[] {
  const known = Object.values(FILE_KEYS);
  const top = [...new Set(known.map((k) => k.split('.')[0])), ...OTHER_FILE_KEYS];
  const inPerms = known.filter((k) => k.startsWith('permissions.'));
  const keys = [...Object.keys(data).filter((k) => !top.includes(k)), ...Object.keys(perms).map((k) => `permissions.${k}`).filter((k) => !inPerms.includes(k))];
  return keys
    .filter((key) => !key.startsWith('$'))
    .map((key) => {
      const close = closestWord(key, key.startsWith('permissions.') ? inPerms : top);
      const hint = close ? `did you mean "${close}"?` : `known keys: ${top.join(', ')}`;
      return `unknown key "${safeLine(key)}" in ${file} is ignored (${hint})`;
    });
}

/** Keys glm reads from the user's own settings file only, and where they belong instead. */
const USER_ONLY: Record<string, string> = {
  passEnvToCommands: 'only your user settings can pass variables to commands',
  webFetch: 'only your user settings can set it',
  mcpServers: "a project's servers go in .mcp.json (glm mcp add --scope project)",
  projects: 'only your user settings hold it',
};

/** One line per key a project file sets that only the user file is read for: it would be ignored without a word. */
function userOnlyKeys(data: Record<string, unknown>, file: string): string[] {
  return Object.keys(USER_ONLY)
    .filter((key) => data[key] !== undefined)
    .map((key) => `"${key}" in ${file} is ignored: ${USER_ONLY[key]}`);
}

/** A settings file as a layer; undefined when the file does not exist. */
export function fileLayer(file: string, level: 'user' | 'project'): Layer | undefined {
  const data = readJsonObject(file);
  if (!data) return undefined;
  const where = (key: keyof Values) => `"${FILE_KEYS[key]}" in ${file}`;
  const bad = (key: keyof Values, expected: string) => new ConfigError(`${where(key)} must be ${expected}`);
  const perms = data.permissions ?? {};
  if (typeof perms !== 'object' || Array.isArray(perms) || perms === null) {
    throw new ConfigError(`"permissions" in ${file} must be an object like {"allow": ["Bash(npm test:*)"]}`);
  }
  const mcp = data.mcp ?? {};
  if (typeof mcp !== 'object' || Array.isArray(mcp) || mcp === null) {
    throw new ConfigError(`"mcp" in ${file} must be an object like {"startupTimeoutMs": 10000}`);
  }
  const webFetch = data.webFetch ?? {};
  if (typeof webFetch !== 'object' || Array.isArray(webFetch) || webFetch === null) {
    throw new ConfigError(`"webFetch" in ${file} must be an object like {"allowPrivateNetwork": true}`);
  }
  const raw = (key: keyof Values): unknown => {
    const [outer, inner] = FILE_KEYS[key].split('.');
    return inner ? ((outer === 'mcp' ? mcp : outer === 'webFetch' ? webFetch : perms) as Record<string, unknown>)[inner] : data[outer];
  };
  const allowPrivate = raw('webFetchAllowPrivate');
  if (allowPrivate !== undefined && typeof allowPrivate !== 'boolean') throw bad('webFetchAllowPrivate', 'true or false');
  const str = (key: keyof Values) => {
    const v = raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw bad(key, 'a non-empty string');
    return v.trim();
  };
  const num = (key: keyof Values, min: number) => {
    const v = raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw bad(key, `a whole number of at least ${min}`);
    return v;
  };
  const list = (key: keyof Values, what = 'rule strings') => {
    const v = raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad(key, `a list of ${what}`);
    return v as string[];
  };
  const thinking = raw('thinking');
  if (thinking !== undefined && typeof thinking !== 'boolean') throw bad('thinking', 'true or false');
  const compactThreshold = raw('compactThreshold');
  if (compactThreshold !== undefined && !(typeof compactThreshold === 'number' && compactThreshold >= 0.2 && compactThreshold <= 0.98)) {
    throw bad('compactThreshold', 'a number between 0.2 and 0.98 (a share of the context window, e.g. 0.85)');
  }
  const passEnv = raw('passEnvToCommands');
  if (passEnv !== undefined && !(Array.isArray(passEnv) && passEnv.every((x) => typeof x === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(x)))) {
    throw bad('passEnvToCommands', 'a list of environment variable names, like ["GLM_API_KEY"]');
  }
  const autoCompact = raw('autoCompact');
  if (autoCompact !== undefined && typeof autoCompact !== 'boolean') throw bad('autoCompact', 'true or false');
  const temperature = raw('temperature');
  if (temperature !== undefined && (typeof temperature !== 'number' || !(temperature >= 0))) {
    throw bad('temperature', 'a number of at least 0');
  }
  const toolSearch = raw('mcpToolSearch');
  if (toolSearch !== undefined && !['auto', 'always', 'never'].includes(toolSearch as string) && !(typeof toolSearch === 'number' && Number.isSafeInteger(toolSearch) && toolSearch >= 0)) {
    throw bad('mcpToolSearch', '"auto", "always", "never" or a number of tokens (MCP tool schemas above it are found through ToolSearch)');
  }
  const values: Partial<Values> = {
    provider: str('provider'),
    model: str('model'),
    visionModel: str('visionModel'),
    baseUrl: str('baseUrl'),
    thinking,
    reasoningEffort: str('reasoningEffort'),
    maxTokens: num('maxTokens', 1),
    maxTurns: num('maxTurns', 1),
    temperature,
    permissionMode: str('permissionMode'),
    allow: list('allow'),
    deny: list('deny'),
    ask: list('ask'),
    additionalDirectories: list('additionalDirectories', 'folder paths, like ["../shared", "~/notes"]')
      ?.map((d) => d.trim())
      .filter(Boolean),
    apiKey: str('apiKey'),
    concurrency: num('concurrency', 1),
    idleTimeoutMs: num('idleTimeoutMs', 1),
    responseTimeoutMs: num('responseTimeoutMs', 1),
    savedOutputsMaxMB: num('savedOutputsMaxMB', 0),
    maxRetries: num('maxRetries', 0),
    contextWindow: num('contextWindow', 2048),
    compactThreshold,
    autoCompact,
    passEnvToCommands: passEnv as string[] | undefined,
    mcpStartupTimeoutMs: num('mcpStartupTimeoutMs', 1),
    mcpToolSearch: toolSearch as Values['mcpToolSearch'] | undefined,
    sandbox: sandboxFileValue(raw('sandbox'), (expected) => bad('sandbox', expected)),
    agents: agentsSetting(data.agents, where('agents')),
    ...(level === 'user' && { webFetchAllowPrivate: allowPrivate as boolean | undefined, ...userMcp(data, where) }),
  };
  const warnings = [...unknownKeys(data, perms, file), ...(level === 'project' ? userOnlyKeys(data, file) : [])];
  return { level, values, where, ...(warnings.length && { warnings }) };
}

/** `"agents": {"exploreModel": "glm-4.7", "modelAliases": {"haiku": "glm-4.7-flash"}}`, checked. */
function agentsSetting(v: unknown, where: string): Values['agents'] | undefined {
  if (v === undefined) return undefined;
  const example = 'an object like {"exploreModel": "glm-4.5-air", "modelAliases": {"haiku": "glm-4.7-flash"}}';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${where} must be ${example}`);
  const { exploreModel, modelAliases, ...rest } = v as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new ConfigError(`${where} has an unknown key "${safeLine(unknown)}"; it must be ${example}`);
  if (exploreModel !== undefined && (typeof exploreModel !== 'string' || !exploreModel.trim())) throw new ConfigError(`${where}: "exploreModel" must be a model id`);
  const aliases = modelAliases as Record<string, unknown> | undefined;
  const okAliases = aliases === undefined || (typeof aliases === 'object' && aliases !== null && !Array.isArray(aliases) && Object.values(aliases).every((m) => typeof m === 'string' && m.trim()));
  if (!okAliases) throw new ConfigError(`${where}: "modelAliases" must map names to model ids, like {"opus": "glm-5.2"}`);
  return {
    ...(typeof exploreModel === 'string' && { exploreModel: exploreModel.trim() }),
    ...(aliases && { modelAliases: Object.fromEntries(Object.entries(aliases).map(([k, m]) => [k.toLowerCase(), String(m).trim()])) }),
  };
}

/** The user file's MCP servers, checked, and its per-project entries (checked when a project uses them). */
function userMcp(data: Record<string, unknown>, where: Layer['where']): Partial<Values> {
  const projects = data.projects;
  if (projects !== undefined && (typeof projects !== 'object' || projects === null || Array.isArray(projects))) {
    throw new ConfigError(`${where('projects')} must be an object keyed by project folder`);
  }
  try {
    return { mcpServers: parseServers(data.mcpServers, where('mcpServers')), projects: projects as Record<string, unknown> | undefined };
  } catch (e) {
    if (e instanceof McpConfigError) throw new ConfigError(e.message);
    throw e;
  }
}

/** A settings file's JSON object; undefined when the file does not exist. */
export const readJsonObject = (file: string): Record<string, unknown> | undefined =>
  readJsonObjectFile(file, (message) => new ConfigError(message), '{"model": "glm-5.2"}');

/** `--allowedTools "Bash(git diff:*),Read Edit"`: splits on commas and spaces outside parentheses. */
export function splitRuleList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (c === ',' || /\s/.test(c))) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

function onOff(value: string, where: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'true', '1', 'yes', 'enabled'].includes(v)) return true;
  if (['off', 'false', '0', 'no', 'disabled'].includes(v)) return false;
  throw new ConfigError(`${where} must be on or off, got "${value}"`);
}

function wholeNumber(value: number | string | undefined, where: string): number | undefined {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new ConfigError(`${where} must be a positive whole number, got "${value}"`);
  return n;
}
