// What one hook entry runs, by its `type`: "command" (a shell command), "http" (the payload POSTed to a URL, headers
// with `${VAR}` only for the variables allowedEnvVars lists), "prompt" (a model judges the payload). Claude Code's
// "agent" type is skipped by the caller. Pure: imports types only.
import type { HookEntry } from '../types.ts';

export type HookKind = Pick<HookEntry, 'command' | 'http' | 'prompt'>;

/** Types glm runs. */
export const HOOK_TYPES = ['command', 'http', 'prompt'] as const;

/** `$VAR` and `${VAR}` in a header value. */
const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The kind of hook `h` (at `q` in its file) describes; undefined after `fail` was told why (fail throws for glm's
 * own files). `warn` gets what runs but may not do what its author meant.
 */
export function parseKind(h: Record<string, unknown>, q: string, fail: (p: string, what: string) => void, warn: (p: string, what: string) => void): HookKind | undefined {
  if (h.type === 'command') {
    if (typeof h.command !== 'string' || !h.command.trim()) return void fail(`${q}.command`, 'must be a non-empty command');
    return { command: h.command };
  }
  if (h.type === 'prompt') {
    if (typeof h.prompt !== 'string' || !h.prompt.trim()) return void fail(`${q}.prompt`, 'must be the instructions the model judges the event by');
    if (h.model !== undefined && (typeof h.model !== 'string' || !h.model.trim())) return void fail(`${q}.model`, 'must be a model id or alias (haiku, sonnet, opus)');
    return { command: `prompt: ${h.prompt}`, prompt: { prompt: h.prompt, ...(typeof h.model === 'string' && { model: h.model.trim() }) } };
  }
  if (h.type !== 'http') return void fail(`${q}.type`, `is ${JSON.stringify(h.type)}: glm runs "command", "http" and "prompt" hooks`);
  if (typeof h.url !== 'string' || !isHttpUrl(h.url)) return void fail(`${q}.url`, 'must be an http:// or https:// URL');
  const headers = h.headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    return void fail(`${q}.headers`, 'must be an object of header names and string values');
  }
  const allowed = h.allowedEnvVars ?? [];
  if (!Array.isArray(allowed) || allowed.some((v) => typeof v !== 'string')) return void fail(`${q}.allowedEnvVars`, 'must be a list of environment variable names');
  for (const [name, value] of Object.entries(headers as Record<string, string>)) {
    for (const m of value.matchAll(ENV_REF)) {
      const v = m[1] ?? m[2]!;
      if (!allowed.includes(v)) warn(`${q}.headers.${name}`, `uses $${v}, which allowedEnvVars does not list: it is sent empty`);
    }
  }
  return { command: `POST ${h.url}`, http: { url: h.url, headers: headers as Record<string, string>, allowedEnvVars: allowed as string[] } };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Header values with `$VAR` / `${VAR}` filled from `env` for the allowed names; any other reference is empty. */
export function expandHeaders(headers: Record<string, string>, allowed: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const fill = (value: string) => value.replace(ENV_REF, (_all, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    return allowed.includes(name) ? (env[name] ?? '') : '';
  });
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, fill(v)]));
}
