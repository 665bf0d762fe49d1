// The environment of every process glm starts for the model or the user's extensions (Bash, background shells,
// later hooks and MCP servers): glm's own, without the provider API keys unless the user passes them on with
// the passEnvToCommands setting. Imports providers.ts and types only.
import { PROVIDERS } from './providers.ts';
import type { Config } from './types.ts';

/** Keys of other agents and SDKs a command has no business seeing either. */
const OTHER_KEYS = ['GLM_API_KEY', 'ZAI_API_KEY', 'BIGMODEL_API_KEY', 'ZHIPUAI_API_KEY', 'OPENROUTER_API_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'];

/** Every variable a provider reads its key from, plus OTHER_KEYS. */
export const KEY_VARIABLES: readonly string[] = Object.freeze([...new Set([...Object.values(PROVIDERS).flatMap((p) => p.keyEnv), ...OTHER_KEYS])]);

/** A value this short is no key worth hiding, and dropping every variable that happens to equal it would break things. */
const MIN_SECRET_LENGTH = 8;

/**
 * A copy of `env` without the key variables (compared ignoring case: Windows does) and without any other variable
 * holding the configured key itself, except the variables named in `passEnvToCommands`. Pass the result whole to
 * the child (execa: `extendEnv: false`), or the key comes back from process.env.
 */
export function commandEnv(config: Pick<Config, 'apiKey' | 'passEnvToCommands'>, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const keep = new Set((config.passEnvToCommands ?? []).map((name) => name.toUpperCase()));
  const keys = new Set(KEY_VARIABLES.map((name) => name.toUpperCase()));
  const secret = config.apiKey && config.apiKey.trim().length >= MIN_SECRET_LENGTH ? config.apiKey.trim() : undefined;
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const upper = name.toUpperCase();
    const hidden = keys.has(upper) || (secret !== undefined && value.includes(secret));
    if (!hidden || keep.has(upper)) out[name] = value;
  }
  return withGitConfig(out, 'safe.bareRepository', 'explicit');
}

/**
 * Adds one git setting through git's environment (GIT_CONFIG_COUNT/KEY_n/VALUE_n), after any already there.
 * safe.bareRepository=explicit: a folder the model wrote that looks like a bare repository (HEAD, objects/, refs/
 * and a config with core.fsmonitor) is not picked up by the next `git status` in it.
 */
function withGitConfig(env: NodeJS.ProcessEnv, key: string, value: string): NodeJS.ProcessEnv {
  const n = Number(env.GIT_CONFIG_COUNT ?? 0);
  const count = Number.isInteger(n) && n >= 0 ? n : 0;
  return { ...env, GIT_CONFIG_COUNT: String(count + 1), [`GIT_CONFIG_KEY_${count}`]: key, [`GIT_CONFIG_VALUE_${count}`]: value };
}

/**
 * What a stdio MCP server inherits: the basics a program needs to run (where home is, PATH, locale, temp folder,
 * proxies and certificates), never a provider key. Its own `env` from the configuration is added on top.
 */
const SERVER_INHERITED = [
  'HOME', 'LOGNAME', 'USER', 'PATH', 'SHELL', 'TERM', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ',
  'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'SYSTEMROOT', 'SystemRoot', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE', 'PATHEXT', 'COMSPEC', 'TEMP', 'TMP',
]; // prettier-ignore

/** The minimal inherited environment of a stdio MCP server (commandEnv's, so without the provider keys). */
export function serverEnv(config: Pick<Config, 'apiKey' | 'passEnvToCommands'>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const allowed = commandEnv(config, env);
  const out: Record<string, string> = {};
  for (const name of SERVER_INHERITED) if (allowed[name] !== undefined) out[name] = allowed[name]!;
  return out;
}
