// Permission rules in Claude Code's syntax (`Bash(npm test:*)`, `Edit(src/**)`) and the allow / deny / ask
// decision for one tool call. Imports types, tool kinds, shell-split and picomatch; never the loop, tools or UI.
//
// Path rules: `src/**` and `./src/**` are relative to the project root (a pattern without a slash, like `*.env`,
// matches at any depth, as in .gitignore); `/src/**` is also relative to the project root (Claude Code's
// convention); `//abs/path/**` is absolute; `~/path/**` is under the home folder. As a safety net, a deny or ask
// rule written `/etc/**` matches both `<project>/etc/**` and the absolute `/etc/**`.
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { splitShellCommand } from './shell-split.ts';
import type { ToolKind } from './tool.ts';
import type { PermissionMode } from './types.ts';

export interface Rule {
  /** The rule as written. */
  text: string;
  tool: string;
  /** What is inside the parentheses; undefined for a bare tool name (or `Tool(*)`). */
  content?: string;
}

export type Decision = { action: 'allow' | 'deny' | 'ask'; reason: string; rule?: string };

export interface DecideInput {
  toolName: string;
  kind: ToolKind;
  /** The command for Bash, the path for file tools. */
  target?: string;
  mode: PermissionMode;
  allow: string[];
  deny: string[];
  ask: string[];
  projectRoot: string;
  cwd: string;
  /** Home folder for `~/` rules; defaults to $HOME. */
  home?: string;
}

/** A rule that is not valid syntax. The message is one line naming the fix. */
export class RuleSyntaxError extends Error {
  override name = 'RuleSyntaxError';
}

/** `Edit(…)` rules cover every tool that edits files; `Read(…)` rules every tool that reads them. */
export const EDIT_TOOLS: readonly string[] = ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'];
export const READ_TOOLS: readonly string[] = ['Read', 'LS', 'Glob', 'Grep', 'NotebookRead'];

/** Commands that only read. Never auto-allowed: a list for the REPL to suggest rules from. */
export const READ_ONLY_COMMANDS: readonly string[] = [
  'ls', 'cat', 'head', 'tail', 'wc', 'pwd', 'echo', 'grep', 'rg', 'which', 'file', 'stat', 'du', 'df', 'tree',
  'git status', 'git diff', 'git log', 'git show', 'git branch', 'git blame',
]; // prettier-ignore

/** Folders inside the project whose edits always ask (except in bypassPermissions): git state and our settings. */
const PROTECTED_DIRS = ['.git', '.glm'];

/** `origin` (e.g. a settings file path) is named in the error message. */
export function parseRule(text: string, origin?: string): Rule {
  const fail = (why: string): never => {
    const where = origin ? ` in ${origin}` : '';
    throw new RuleSyntaxError(`Invalid permission rule ${JSON.stringify(text)}${where}: ${why}`);
  };
  const t = text.trim();
  if (!t) fail('it is empty; write a tool name such as Read or Bash(npm test:*)');
  // Escape sequences in a rule could redraw the terminal when it is listed (glm trust, the trust dialog).
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(t)) fail('it contains a control character');
  const m = /^([A-Za-z_][\w-]*)(?:\(([\s\S]*)\))?$/.exec(t);
  if (!m) {
    if (t.includes('(') && !t.endsWith(')')) fail('it must end with ")", e.g. Bash(npm test:*)');
    fail('expected Tool or Tool(specifier), e.g. Read, Edit(src/**) or Bash(npm test:*)');
  }
  const [, tool, content] = m!;
  if (/^[a-z]/.test(tool) && !tool.startsWith('mcp__')) {
    fail(`tool names start with a capital letter, e.g. ${tool[0].toUpperCase()}${tool.slice(1)}`);
  }
  if (content === undefined || content.trim() === '*') return { text: t, tool };
  if (content.trim() === '') fail(`empty parentheses; write ${tool} alone to match every use`);
  if (tool === 'Bash') {
    const colon = content.indexOf(':*');
    if (colon >= 0 && colon !== content.length - 2) fail('":*" is only allowed at the end, e.g. Bash(npm test:*)');
    if (colon === 0) fail('nothing before ":*"; write Bash alone to match every command');
  } else if (isPathTool(tool) && content.includes(':*')) {
    fail(`":*" is for Bash rules; match paths with globs, e.g. ${tool}(src/**)`);
  }
  return { text: t, tool, content };
}

export function decide(input: DecideInput): Decision {
  const { toolName, kind, mode } = input;
  const home = input.home ?? process.env.HOME ?? os.homedir();
  const ctx: MatchContext = { ...input, home };
  const denied = firstMatch(input.deny, ctx, 'deny');
  if (denied) return { action: 'deny', reason: `matches deny rule ${denied}`, rule: denied };
  if (mode === 'bypassPermissions') return { action: 'allow', reason: 'bypassPermissions mode allows every tool' };
  if (mode === 'plan' && (kind === 'edit' || kind === 'execute')) {
    return { action: 'deny', reason: `plan mode is read-only: ${toolName} cannot run until the plan is approved` };
  }
  const asked = firstMatch(input.ask, ctx, 'ask');
  if (asked) return { action: 'ask', reason: `matches ask rule ${asked}`, rule: asked };
  const guarded = kind === 'edit' ? guardedWrite(ctx) : undefined;
  if (guarded) {
    const explicit = firstMatch(input.allow.filter(isAbsoluteRule), ctx, 'allow');
    if (explicit && guarded.outside) return { action: 'allow', reason: `matches allow rule ${explicit}`, rule: explicit };
    return { action: 'ask', reason: guarded.reason };
  }
  const allowed = firstMatch(input.allow, ctx, 'allow');
  if (allowed) return { action: 'allow', reason: `matches allow rule ${allowed}`, rule: allowed };
  return decideByMode(kind, mode, ctx);
}

function decideByMode(kind: ToolKind, mode: PermissionMode, ctx: MatchContext): Decision {
  if (kind === 'read' || kind === 'search' || kind === 'meta') return { action: 'allow', reason: `${kind} tools run without asking` };
  if (kind === 'edit') {
    if (mode === 'acceptEdits') return { action: 'allow', reason: 'acceptEdits mode allows edits inside the project' };
    return { action: 'ask', reason: 'edits need approval in default mode' };
  }
  if (ctx.toolName === 'Bash' && ctx.target !== undefined && !splitShellCommand(ctx.target).complete) {
    return { action: 'ask', reason: 'the command uses shell syntax rules cannot check, so it needs approval' };
  }
  return { action: 'ask', reason: 'commands need approval unless a rule allows them' };
}

interface MatchContext extends DecideInput {
  home: string;
}

/** The first rule in `rules` that matches the call, or undefined. Rules are validated by config; bad ones are skipped. */
function firstMatch(rules: string[], ctx: MatchContext, list: 'allow' | 'deny' | 'ask'): string | undefined {
  const parsed = rules.flatMap((text) => {
    try {
      const rule = parseRule(text);
      return coversTool(rule.tool, ctx.toolName) ? [rule] : [];
    } catch {
      return [];
    }
  });
  const bare = parsed.find((r) => r.content === undefined);
  if (bare) return bare.text;
  if (ctx.target === undefined) return undefined;
  if (ctx.toolName === 'Bash') return matchCommand(parsed, ctx.target, list);
  const loose = list !== 'allow';
  return parsed.find((r) => matchTarget(r, ctx, loose))?.text;
}

function isPathTool(name: string): boolean {
  return EDIT_TOOLS.includes(name) || READ_TOOLS.includes(name);
}

const isOutside = (rel: string) => rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);

function coversTool(ruleTool: string, toolName: string): boolean {
  if (ruleTool === toolName) return true;
  if (ruleTool === 'Edit') return EDIT_TOOLS.includes(toolName);
  if (ruleTool === 'Read') return READ_TOOLS.includes(toolName);
  return false;
}

/**
 * Deny and ask rules match when any part of a compound command matches; allow rules need every part allowed
 * (or a rule that is exactly the whole command, which is what "always allow" adds for compound commands).
 */
function matchCommand(rules: Rule[], command: string, list: 'allow' | 'deny' | 'ask'): string | undefined {
  const split = splitShellCommand(command);
  const parts = split.parts.length ? split.parts : [command.trim()];
  const ruleFor = (part: string) => rules.find((r) => commandMatches(r.content!, part))?.text;
  if (list !== 'allow') {
    for (const part of parts) {
      const hit = ruleFor(part);
      if (hit) return hit;
    }
    return undefined;
  }
  const whole = rules.find((r) => r.content!.trim() === command.trim());
  if (whole) return whole.text;
  if (!split.complete) return undefined;
  const hits = parts.map(ruleFor);
  return hits.every(Boolean) ? [...new Set(hits)].join(', ') : undefined;
}

function commandMatches(content: string, part: string): boolean {
  const spec = content.trim().replace(/\s+/g, ' ');
  if (spec.endsWith(':*')) {
    const prefix = spec.slice(0, -2).trimEnd();
    return part === prefix || part.startsWith(prefix + ' ');
  }
  if (!spec.includes('*')) return part === spec;
  // Claude Code's wildcard form: `*` matches anything, and a trailing ` *` may match nothing (`ls *` covers `ls`).
  const pieces = spec.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  let source = pieces.join('.*');
  if (spec.endsWith(' *') && spec.indexOf('*') === spec.length - 1) source = `${pieces[0].slice(0, -1)}(?: .*)?`;
  return new RegExp(`^${source}$`, 's').test(part);
}

function matchTarget(rule: Rule, ctx: MatchContext, loose: boolean): boolean {
  const content = rule.content!;
  const target = ctx.target!;
  if (rule.tool === 'WebFetch' && content.startsWith('domain:')) return domainMatches(content.slice(7), target);
  if (!isPathTool(rule.tool)) return content === target;
  const abs = path.resolve(ctx.cwd, target);
  if (pathMatches(content, abs, ctx.projectRoot, ctx.home)) return true;
  return loose && /^\/[^/]/.test(content) && pathMatches('/' + content, abs, ctx.projectRoot, ctx.home);
}

function domainMatches(domain: string, url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === domain || host.endsWith('.' + domain);
  } catch {
    return false;
  }
}

/** Whether an absolute path matches a path rule (see the header for the pattern forms). */
export function pathMatches(content: string, absPath: string, projectRoot: string, home: string): boolean {
  let base = projectRoot;
  let pattern = content;
  const anchored = /^(\/|~\/|~$|\.\/)/.test(content);
  if (content.startsWith('//')) [base, pattern] = ['/', content.slice(2)];
  else if (content === '~' || content.startsWith('~/')) [base, pattern] = [home, content.slice(2)];
  else if (content.startsWith('/')) pattern = content.slice(1);
  else if (content.startsWith('./')) pattern = content.slice(2);
  while (pattern.startsWith('../')) [base, pattern] = [path.dirname(base), pattern.slice(3)];
  pattern = pattern.replace(/\/+$/, '') || '**';
  const rel = path.relative(base, absPath);
  if (isOutside(rel)) return false;
  if (rel === '') return pattern.replace(/[*/]/g, '') === '';
  if (!anchored && !pattern.includes('/')) pattern = `**/${pattern}`;
  const globs = pattern.endsWith('**') ? [pattern] : [pattern, `${pattern}/**`];
  return picomatch(globs, { dot: true })(rel);
}

function isAbsoluteRule(text: string): boolean {
  try {
    const content = parseRule(text).content;
    return content !== undefined && (content.startsWith('//') || content.startsWith('~/'));
  } catch {
    return false;
  }
}

/** Edits that ask even when a rule or acceptEdits would allow them: outside the project, or in .git/.glm. */
function guardedWrite(ctx: MatchContext): { reason: string; outside: boolean } | undefined {
  if (ctx.target === undefined) return undefined;
  const abs = path.resolve(ctx.cwd, ctx.target);
  const rel = path.relative(ctx.projectRoot, abs);
  const realRel = path.relative(realish(ctx.projectRoot), realish(abs));
  if (isOutside(rel) || isOutside(realRel)) {
    return { reason: `${abs} is outside the project (${ctx.projectRoot}), so writing it needs approval`, outside: true };
  }
  const top = rel.split(path.sep)[0];
  if (PROTECTED_DIRS.includes(top)) return { reason: `writes inside ${top}/ always need approval`, outside: false };
  return undefined;
}

/** The real path of the deepest existing ancestor, joined with the rest (symlinks cannot hide the destination). */
function realish(p: string): string {
  const rest: string[] = [];
  for (let cur = p; ; cur = path.dirname(cur)) {
    try {
      return path.join(realpathSync.native(cur), ...rest.reverse());
    } catch {
      if (path.dirname(cur) === cur) return p;
      rest.push(path.basename(cur));
    }
  }
}

const LAUNCHERS = new Set(
  'sh bash zsh fish dash eval exec sudo doas env xargs nohup nice timeout watch node python python3 perl ruby php deno bun npx pnpx bunx uvx'.split(' '),
);
const PACKAGE_RUNNERS = new Set(['npm', 'pnpm', 'yarn', 'bun']);

/**
 * The rule "always allow" adds: `Bash(npm test:*)` for `npm test -- --watch`, the exact command when it is
 * compound or runs inline code, `Edit(src/lib/**)` for a file in src/lib, `Edit(//abs/dir/**)` outside the project.
 */
export function suggestRule(toolName: string, target: string | undefined, projectRoot: string): string {
  if (target === undefined || target.trim() === '') return toolName;
  if (toolName === 'Bash') return `Bash(${suggestCommand(target)})`;
  const family = EDIT_TOOLS.includes(toolName) ? 'Edit' : READ_TOOLS.includes(toolName) ? 'Read' : undefined;
  if (!family) return toolName;
  const abs = path.resolve(projectRoot, target);
  const rel = path.relative(projectRoot, abs);
  const escape = (s: string) => s.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
  if (!isOutside(rel)) {
    // A file at the root gets an anchored rule (`/package.json`): a bare name would match at any depth.
    const dir = path.dirname(rel);
    return dir === '.' ? `${family}(/${escape(rel)})` : `${family}(${escape(dir)}/**)`;
  }
  const dir = path.dirname(abs);
  const home = process.env.HOME;
  if (home && dir.startsWith(home + path.sep)) return `${family}(~/${escape(dir.slice(home.length + 1))}/**)`;
  return `${family}(/${escape(dir)}/**)`;
}

function suggestCommand(command: string): string {
  const { parts, complete } = splitShellCommand(command);
  if (parts.length !== 1 || !complete) return command.trim();
  const words = parts[0].split(' ');
  const plain = (w: string | undefined) => w !== undefined && /^[A-Za-z0-9][\w.:@/+-]*$/.test(w);
  const sub = (w: string | undefined) => w !== undefined && /^[A-Za-z][\w:-]*$/.test(w);
  const [w0, w1, w2] = words;
  if (!plain(w0)) return command.trim();
  if (LAUNCHERS.has(w0)) return plain(w1) ? `${w0} ${w1}:*` : command.trim();
  if (PACKAGE_RUNNERS.has(w0) && w1 === 'run' && sub(w2)) return `${w0} run ${w2}:*`;
  return sub(w1) ? `${w0} ${w1}:*` : `${w0}:*`;
}
