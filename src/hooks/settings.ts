// Where hooks are configured and what they say: the "hooks" key of glm's settings files and (claudeCompat.hooks,
// default on) of Claude Code's, in Claude Code's shape; each checked, glm's strictly (a mistake is a ConfigError),
// Claude Code's leniently (what glm cannot run is skipped with a warning). Imports config-layers and types only.
import path from 'node:path';
import { closestWord } from '../closest-word.ts';
import { parseKind } from './hook-kinds.ts';
import { ConfigError, readJsonObject } from '../config-layers.ts';
import { safeLine } from '../terminal-text.ts';
import type { HookEntry, HookEventName } from '../types.ts';

export const HOOK_EVENTS: readonly HookEventName[] = [
  'PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure', 'UserPromptSubmit', 'Stop', 'SubagentStop',
  'SessionStart', 'SessionEnd', 'PreCompact', 'Notification',
]; // prettier-ignore

/** Seconds a hook may run when its entry sets no timeout (Claude Code's default). */
export const DEFAULT_HOOK_TIMEOUT_S = 60;
/** A prompt hook's default (Claude Code's). */
export const DEFAULT_PROMPT_TIMEOUT_S = 30;

export interface HookFile {
  file: string;
  scope: HookEntry['scope'];
  /** Claude Code's own file: read leniently. */
  claude: boolean;
}

/**
 * Every file hooks are read from, in the order they run: the user's (glm's, then Claude Code's), then the
 * project's (glm's .glm/settings.json and .glm/settings.local.json, Claude Code's .claude/settings.json and
 * .claude/settings.local.json). Claude Code's only with claudeCompat.hooks: the user's own for ~/.claude (a
 * project must not switch off the user's hooks), the project's (else the user's) for .claude.
 */
export function hookFiles(o: { userSettings: string; home: string; projectRoot: string; claudeCompat: { user: boolean; project: boolean } }): HookFile[] {
  const at = (file: string, scope: HookEntry['scope'], claude: boolean): HookFile => ({ file, scope, claude });
  const glm = path.join(o.projectRoot, '.glm');
  const claude = path.join(o.projectRoot, '.claude');
  const userClaude = path.join(o.home, '.claude', 'settings.json');
  return [
    at(o.userSettings, 'user', false),
    ...(o.claudeCompat.user ? [at(userClaude, 'user', true)] : []),
    at(path.join(glm, 'settings.json'), 'project', false),
    at(path.join(glm, 'settings.local.json'), 'project', false),
    ...(o.claudeCompat.project ? [at(path.join(claude, 'settings.json'), 'project', true), at(path.join(claude, 'settings.local.json'), 'project', true)] : []),
  ].filter((f, i, all) => all.findIndex((g) => g.file === f.file) === i); // ~/.claude is the project's when glm runs in ~
}

/** claudeCompat.hooks of the first of `files` that sets it; undefined when none does. */
export function claudeCompatHooks(files: { data?: Record<string, unknown>; file: string }[]): boolean | undefined {
  for (const { data, file } of files) {
    const compat = data?.claudeCompat;
    if (compat === undefined) continue;
    if (typeof compat !== 'object' || compat === null || Array.isArray(compat)) throw new ConfigError(`"claudeCompat" in ${file} must be an object like {"hooks": false}`);
    const hooks = (compat as Record<string, unknown>).hooks;
    if (hooks === undefined) continue;
    if (typeof hooks !== 'boolean') throw new ConfigError(`"claudeCompat.hooks" in ${file} must be true or false`);
    return hooks;
  }
  return undefined;
}

/** The hooks of each file (a missing file has none); `warnings` gets what was skipped, one line each. */
export function readHookFiles(files: HookFile[], warnings: string[], read = readSettings): HookEntry[] {
  return files.flatMap((f) => {
    let data: Record<string, unknown> | undefined;
    try {
      data = read(f.file);
    } catch (e) {
      if (!f.claude || !(e instanceof ConfigError)) throw e;
      warnings.push(`${e.message}; its hooks are not used`);
      return [];
    }
    return data?.hooks === undefined ? [] : parseHooks(data.hooks, f, warnings);
  });
}

const readSettings = (file: string) => readJsonObject(file);

/**
 * `{"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "…", "timeout": 60}]}]}` as
 * entries. glm's files: a mistake is a ConfigError naming the place. Claude Code's: events, types and entries glm
 * does not run are skipped (an event glm does not have is skipped quietly: Claude Code has more).
 */
export function parseHooks(value: unknown, f: HookFile, warnings: string[]): HookEntry[] {
  const where = (p: string) => `"hooks${p}" in ${f.file}`;
  const problem = (p: string, what: string): [] => {
    if (!f.claude) throw new ConfigError(`${where(p)} ${what}`);
    warnings.push(`${where(p)} ${what}; skipped`);
    return [];
  };
  const warn = (p: string, what: string): [] => (warnings.push(`${where(p)} ${what}`), []);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('', 'must be an object like {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./check.sh"}]}]}');
  }
  return Object.entries(value).flatMap(([event, groups]): HookEntry[] => {
    if (!HOOK_EVENTS.includes(event as HookEventName)) {
      if (f.claude) return [];
      const close = closestWord(event, HOOK_EVENTS);
      return problem(`.${safeLine(event)}`, `is not an event glm runs hooks for (${close ? `did you mean "${close}"?` : `use one of ${HOOK_EVENTS.join(', ')}`})`);
    }
    if (!Array.isArray(groups)) return problem(`.${event}`, 'must be a list of {"matcher": …, "hooks": […]}');
    return groups.flatMap((group, i) => parseGroup(group, event as HookEventName, `.${event}[${i}]`, f, problem, warn));
  });
}

type Problem = (p: string, what: string) => [];

function parseGroup(group: unknown, event: HookEventName, p: string, f: HookFile, problem: Problem, warn: Problem): HookEntry[] {
  if (typeof group !== 'object' || group === null || Array.isArray(group)) return problem(p, 'must be an object like {"matcher": "Bash", "hooks": […]}');
  const g = group as Record<string, unknown>;
  const matcher = g.matcher ?? '';
  if (typeof matcher !== 'string') return problem(`${p}.matcher`, 'must be a string (a tool name or a regular expression)');
  if (matcherError(matcher)) return problem(`${p}.matcher`, `is not a valid regular expression (${matcherError(matcher)})`);
  if (!Array.isArray(g.hooks)) return problem(`${p}.hooks`, 'must be a list of {"type": "command", "command": "…"}');
  return g.hooks.flatMap((hook, j): HookEntry[] => {
    const q = `${p}.hooks[${j}]`;
    if (typeof hook !== 'object' || hook === null || Array.isArray(hook)) return problem(q, 'must be an object like {"type": "command", "command": "./check.sh"}');
    const h = hook as Record<string, unknown>;
    const kind = parseKind(h, q, problem, warn);
    if (!kind) return [];
    if (h.timeout !== undefined && !(typeof h.timeout === 'number' && h.timeout > 0 && Number.isFinite(h.timeout))) return problem(`${q}.timeout`, 'must be a number of seconds above 0');
    if (h.failClosed !== undefined && typeof h.failClosed !== 'boolean') return problem(`${q}.failClosed`, 'must be true or false');
    const entry: HookEntry = { event, matcher: matcher.trim(), ...kind, file: f.file, scope: f.scope };
    if (h.timeout !== undefined) entry.timeout = h.timeout as number;
    if (h.failClosed) entry.failClosed = true;
    return [entry];
  });
}

function matcherError(matcher: string): string | undefined {
  if (matcher.trim() === '*') return undefined;
  try {
    new RegExp(matcher);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : 'invalid';
  }
}

/**
 * Whether a hook's matcher takes `value` (a tool name, a SessionStart source …). Empty or `*` takes everything;
 * plain names (`Bash`, `Edit|Write`) match exactly; anything else is a regular expression, as in Claude Code.
 */
export function matches(matcher: string, value: string | undefined): boolean {
  if (matcher === '' || matcher === '*' || value === undefined) return true;
  if (/^[\w|]+$/.test(matcher)) return matcher.split('|').includes(value);
  try {
    return new RegExp(matcher).test(value);
  } catch {
    return false;
  }
}

/** What trust covers of a project hook: its file (relative to the project), event, matcher and command. */
export function hookTrustValue(h: HookEntry, projectRoot: string): string {
  const http = h.http && { headers: h.http.headers, allowedEnvVars: h.http.allowedEnvVars };
  const model = h.prompt?.model && { model: h.prompt.model };
  return JSON.stringify({ file: path.relative(projectRoot, h.file) || h.file, event: h.event, matcher: h.matcher, command: h.command, ...http, ...model });
}

interface TrustedHook {
  file: string;
  event: string;
  matcher: string;
  command: string;
}

function parseTrustValue(value: string): TrustedHook | undefined {
  try {
    const v = JSON.parse(value) as TrustedHook;
    return typeof v.command === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** hookTrustValue as one line for people: `PreToolUse (Bash): ./check.sh  [.claude/settings.json]`. */
export function describeHookTrustValue(value: string): string {
  const v = parseTrustValue(value);
  if (!v) return value;
  return `${v.event}${v.matcher ? ` (${v.matcher})` : ''}: ${v.command}  [${v.file}]`;
}

/** The file (relative to the project) of a hookTrustValue. */
export function hookTrustFile(value: string): string | undefined {
  return parseTrustValue(value)?.file;
}

export interface HookSets {
  /** The user's hooks (glm's settings file, ~/.claude/settings.json): they run without trust. */
  user: HookEntry[];
  /** The project's (.glm/settings*.json, .claude/settings*.json): they run only in a trusted project. */
  project: HookEntry[];
  warnings: string[];
  /** Whether Claude Code's files count (claudeCompat.hooks): ~/.claude's for the user, .claude's for the project. */
  claudeCompat: { user: boolean; project: boolean };
}

/** Every configured hook, by whether it needs trust; claudeCompat.hooks decides whether Claude Code's files count (default on). */
export function loadHookSets(o: { userSettings: string; home: string; projectRoot: string }): HookSets {
  const cache = new Map<string, Record<string, unknown> | undefined>();
  const cached = (file: string) => {
    if (!cache.has(file)) cache.set(file, readSettings(file));
    return cache.get(file);
  };
  const read = (file: string) => ({ file, data: cached(file) });
  const user = claudeCompatHooks([read(o.userSettings)]) ?? true;
  const project = claudeCompatHooks([read(path.join(o.projectRoot, '.glm', 'settings.local.json')), read(path.join(o.projectRoot, '.glm', 'settings.json'))]) ?? user;
  const claudeCompat = { user, project };
  const warnings: string[] = [];
  const entries = readHookFiles(hookFiles({ ...o, claudeCompat }), warnings, cached);
  return { user: entries.filter((h) => h.scope === 'user'), project: entries.filter((h) => h.scope === 'project'), warnings, claudeCompat };
}
