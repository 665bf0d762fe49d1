// Permission rules in Claude Code's syntax (`Bash(npm test:*)`, `Edit(src/**)`) and the allow / deny / ask
// decision for one tool call, judged on what the tool will act on: the path resolved as the tool resolves it
// (and its real path), the command as the shell parses it (src/shell/). Imports paths, shell rules, types and
// picomatch; never the loop, tools or UI.
//
// Path rules: `src/**` and `./src/**` are relative to the project root (a pattern without a slash, like `*.env`,
// matches at any depth, as in .gitignore); `/src/**` is also relative to the project root (Claude Code's
// convention); `//abs/path/**` is absolute; `~/path/**` is under the home folder. As a safety net, a deny or ask
// rule written `/etc/**` matches both `<project>/etc/**` and the absolute `/etc/**`.
import { homedir } from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { MAX_JUDGED_COMMAND_CHARS } from './limits.ts';
import { isWithin, leavesBase, realPathOf, resolveToolPath } from './paths.ts';
import { protectedPlace } from './protected-places.ts';
import type { ShellAnalysis } from './shell/analyze.ts';
import { commandWords } from './shell/normalize.ts';
import { argumentRisk } from './shell/risky.ts';
import { bashAllowance, bashRuleHit, suggestBashRule, type BashAllowance, type BashRule } from './shell/rules.ts';
import type { ToolKind } from './tool.ts';
import type { PermissionMode } from './types.ts';

export interface Rule {
  /** The rule as written. */
  text: string;
  tool: string;
  /** What is inside the parentheses; undefined for a bare tool name (or `Tool(*)`). */
  content?: string;
}

/** `final`: no allow rule can change the answer (a protected place), so none is offered. */
/** `unplaced`: a command whose writes glm cannot place (they could land in .git or .glm): no hook answers it unsandboxed. */
export type Decision = { action: 'allow' | 'deny' | 'ask'; reason: string; rule?: string; final?: boolean; unplaced?: boolean };

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
  /** Home folder for `~` paths and `~/` rules; defaults to $HOME. */
  home?: string;
  /** For Bash: the parsed command (shell/analyze.ts). Without it only a bare `Bash` rule can allow a command. */
  shell?: ShellAnalysis;
  /** Folders the user added (--add-dir): reads and edits there count as inside the project. */
  additionalDirs?: string[];
  /** glm's own files the model is told to read (the session's spill files): reads there never ask. */
  ownDirs?: string[];
}

/** A rule that is not valid syntax. The message is one line naming the fix. */
export class RuleSyntaxError extends Error {
  override name = 'RuleSyntaxError';
}

/** `Edit(…)` rules cover every tool that edits files; `Read(…)` rules every tool that reads them. */
export const EDIT_TOOLS: readonly string[] = ['Edit', 'MultiEdit', 'Write', 'NotebookEdit'];
export const READ_TOOLS: readonly string[] = ['Read', 'LS', 'Glob', 'Grep', 'NotebookRead'];

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
  const home = input.home ?? homedir();
  const ctx: MatchContext = { ...input, home, abs: input.target === undefined ? undefined : resolveToolPath(input.cwd, input.target, home) };
  if (input.toolName === 'Bash') return decideBash(ctx, input.shell ?? unparsed(input.target ?? ''));
  const { toolName, kind, mode } = input;
  const denied = firstMatch(input.deny, ctx, 'deny');
  if (denied) return { action: 'deny', reason: `matches deny rule ${denied}`, rule: denied };
  if (mode === 'bypassPermissions') return { action: 'allow', reason: 'bypassPermissions mode allows every tool' };
  // An MCP tool may change anything its server reaches: plan mode treats it as a command.
  if (mode === 'plan' && (kind === 'edit' || kind === 'execute' || kind === 'mcp')) {
    return { action: 'deny', reason: `plan mode is read-only: ${toolName} cannot run until the plan is approved` };
  }
  const asked = firstMatch(input.ask, ctx, 'ask');
  if (asked) return { action: 'ask', reason: `matches ask rule ${asked}`, rule: asked };
  const reads = (kind === 'read' || kind === 'search') && isPathTool(toolName);
  const guarded = kind === 'edit' ? guardedWrite(ctx) : reads ? guardedRead(ctx) : undefined;
  if (guarded) {
    const explicit = firstMatch(input.allow.filter((r) => guarded.outside && isAbsoluteRule(r)), ctx, 'allow');
    if (explicit) return { action: 'allow', reason: `matches allow rule ${explicit}`, rule: explicit };
    return { action: 'ask', reason: guarded.reason, ...(!guarded.outside && { final: true }) };
  }
  const allowed = firstMatch(input.allow, ctx, 'allow');
  if (allowed) return { action: 'allow', reason: `matches allow rule ${allowed}`, rule: allowed };
  return decideByMode(kind, mode);
}

function decideByMode(kind: ToolKind, mode: PermissionMode): Decision {
  if (kind === 'read' || kind === 'search' || kind === 'meta') return { action: 'allow', reason: `${kind} tools run without asking` };
  if (kind === 'edit') {
    if (mode === 'acceptEdits') return { action: 'allow', reason: 'acceptEdits mode allows edits inside the project' };
    return { action: 'ask', reason: 'edits need approval in default mode' };
  }
  if (kind === 'mcp') return { action: 'ask', reason: 'MCP tools need approval unless a rule allows them' };
  if (kind === 'web') return { action: 'ask', reason: 'web tools need approval unless a rule allows them' };
  return { action: 'ask', reason: 'commands need approval unless a rule allows them' };
}

/** A command nobody parsed: one unknown command, so deny rules match it and no rule allows it. */
function unparsed(command: string): ShellAnalysis {
  return { command, commands: [{ words: [undefined], text: command, nested: false }], redirects: [], unproven: ['a command glm has not parsed'] };
}

/**
 * Bash: deny and ask rules see every command in the call (nested too, normalised); allow needs every command
 * covered; the files it writes (redirections, cp/mv/tee … targets) and reads (`< file`) are judged like Write and Read.
 */
function decideBash(ctx: MatchContext, shell: ShellAnalysis): Decision {
  const rules = (list: string[]) => bashRules(list);
  if (shell.command.length > MAX_JUDGED_COMMAND_CHARS) return decideLongBash(ctx, shell.command.length);
  const denied = bashRuleHit(rules(ctx.deny), shell);
  if (denied) return { action: 'deny', reason: `matches deny rule ${denied}`, rule: denied };
  const blocked = judgeFiles(ctx, shell.redirects).find((x) => x.d.action === 'deny');
  if (blocked) return { ...blocked.d, reason: `it ${verb(blocked.f.access)} ${blocked.f.target ?? 'a file'}, and that ${blocked.d.reason}` };
  if (ctx.mode === 'bypassPermissions') return { action: 'allow', reason: 'bypassPermissions mode allows every tool' };
  if (ctx.mode === 'plan') return { action: 'deny', reason: 'plan mode is read-only: Bash cannot run until the plan is approved' };
  const asked = bashRuleHit(rules(ctx.ask), shell);
  if (asked) return { action: 'ask', reason: `matches ask rule ${asked}`, rule: asked };
  const allow = rules(ctx.allow);
  const bare = allow.find((r) => r.content === undefined);
  const allowance: BashAllowance = bare
    ? { allowed: true, rules: [bare.text], writes: [] }
    : allow.length
      ? bashAllowance(allow, shell)
      : { allowed: false, reason: 'commands need approval unless a rule allows them' };
  if (!allowance.allowed) return protectedWrite(ctx, shell) ?? { action: 'ask', reason: allowance.reason };
  // A rule that is the exact command vouches for its writes as acceptEdits would: outside and protected still ask.
  const judged = allowance.exact && ctx.mode === 'default' ? { ...ctx, mode: 'acceptEdits' as const } : ctx;
  // Reads through `< file` are like a prefix rule's arguments (cat may read any file): only deny rules judge them.
  const writes = [...shell.redirects.filter((r) => r.access === 'write'), ...allowance.writes.map((target) => ({ target, access: 'write' as const }))];
  const touched = judgeFiles(judged, writes);
  const stop = touched.find((x) => x.d.action === 'deny') ?? touched.find((x) => x.d.action === 'ask');
  if (stop) {
    const { action, rule, final } = stop.d;
    return { action, reason: `it ${verb(stop.f.access)} ${stop.f.target ?? 'a file'}: ${stop.d.reason}`, ...(rule && { rule }), ...(final && { final }) };
  }
  const rule = allowance.rules.join(', ');
  return { action: 'allow', reason: `matches allow rule ${rule}`, rule };
}

/**
 * A call no rule allows that visibly writes into a protected place (a redirection, a cp/mv/tee … target), or whose
 * writes glm cannot place. A visible one's ask is final, so no hook's allow answers it for the user (an allow rule
 * could not cover it either); an unplaced one is answered by no hook while the sandbox is off (gate.ts): the sandbox
 * keeps .git/hooks and .git/config read-only itself.
 */
function protectedWrite(ctx: MatchContext, shell: ShellAnalysis): Decision | undefined {
  const plain = shell.commands.filter((c) => c.words.every((w) => w !== undefined));
  const targets = [
    ...shell.redirects.filter((r) => r.access === 'write' && r.target !== undefined).map((r) => r.target!),
    ...plain.flatMap((c) => argumentRisk(c.words as string[]).writes),
  ];
  const hit = judgeFiles(ctx, targets.map((target) => ({ target, access: 'write' as const }))).find((x) => x.d.final);
  if (hit) return { action: 'ask', reason: `it writes ${hit.f.target}: ${hit.d.reason}`, final: true };
  const unplaced = unplacedWrite(shell, targets.length > 0);
  return unplaced ? { action: 'ask', reason: unplaced, unplaced: true } : undefined;
}

const UNKNOWN_WORD = '\u0000';
/** `.git` or `.glm` as a path component anywhere in a word (not `.github`, `.gitignore`), in any letter case. */
const PROTECTED_WORD = /(?:^|[\\/\s'"=:])\.(?:git|glm)(?:$|[\\/\s'"])/i;

/**
 * Why glm cannot tell whether a call writes into .git or .glm: a write whose target is computed when it runs
 * (`> $d/hooks/pre-commit`, `cp x $(…)`), a `git config` that sets something (it writes .git/config:
 * core.hooksPath, core.fsmonitor run commands), a word naming a path there, or a `cd` before a write.
 */
function unplacedWrite(shell: ShellAnalysis, writes: boolean): string | undefined {
  if (shell.redirects.some((r) => r.access === 'write' && r.target === undefined)) return 'it writes a file only known when it runs, which could be in .git or .glm';
  const words = shell.commands.map((c) => c.words.map((w) => w ?? UNKNOWN_WORD));
  if (words.some((w) => argumentRisk(w).writes.some((t) => t.includes(UNKNOWN_WORD)))) return 'it writes a file only known when it runs, which could be in .git or .glm';
  const run = words.map((w) => commandWords(w));
  if (run.some((w) => w[0] === 'git' && w[1] === 'config' && argumentRisk(w.map((x) => x ?? UNKNOWN_WORD)).reason)) {
    return "it changes git's configuration (.git/config), which can make git run commands";
  }
  // Any word naming a path in .git or .glm (`sed -i … .git/config`, `tar -C .git/hooks -x`, `python3 -c 'open(".git/…")'`):
  // which program writes what there cannot be listed.
  if (shell.commands.some((c) => c.words.some((w) => w !== undefined && PROTECTED_WORD.test(w)))) return 'it names a path inside .git or .glm, where changes always need approval';
  const moves = run.some(([name]) => name === 'cd' || name === 'pushd');
  if (moves && (writes || shell.redirects.some((r) => r.access === 'write'))) return 'it changes directory before writing, so glm cannot tell whether the write lands in .git or .glm';
  return undefined;
}

/**
 * A command too long to judge by rules (MAX_JUDGED_COMMAND_CHARS): only rules that do not need its text decide
 * (a bare `Bash` rule, plan mode, bypassPermissions without deny or ask rules); anything else asks, with no rule to add.
 */
function decideLongBash(ctx: MatchContext, length: number): Decision {
  const deny = bashRules(ctx.deny);
  const ask = bashRules(ctx.ask);
  const bare = deny.find((r) => r.content === undefined);
  if (bare) return { action: 'deny', reason: `matches deny rule ${bare.text}`, rule: bare.text };
  if (ctx.mode === 'plan') return { action: 'deny', reason: 'plan mode is read-only: Bash cannot run until the plan is approved' };
  const unjudged = deny.length === 0 && ask.length === 0;
  if (ctx.mode === 'bypassPermissions' && unjudged) return { action: 'allow', reason: 'bypassPermissions mode allows every tool' };
  const bareAllow = bashRules(ctx.allow).find((r) => r.content === undefined);
  if (bareAllow && unjudged) return { action: 'allow', reason: `matches allow rule ${bareAllow.text}`, rule: bareAllow.text };
  const size = `${Math.ceil(length / 1024)} KB`;
  return { action: 'ask', reason: `the command is ${size}, too long for glm to judge by rules (the limit is ${MAX_JUDGED_COMMAND_CHARS / 1000} KB)`, final: true };
}

type FileAccess = { target?: string; access: 'write' | 'read' };

/**
 * Each file a command writes or reads, judged like Write or Read. A target only known when the command runs
 * could be any file: denied when a deny rule names files of that kind, asked otherwise.
 */
function judgeFiles(ctx: MatchContext, files: FileAccess[]): { f: FileAccess; d: Decision }[] {
  return files.map((f) => {
    if (f.target !== undefined) return { f, d: decideFile(ctx, f.target, f.access) };
    const family = f.access === 'write' ? 'Edit' : 'Read';
    const rule = ctx.deny.find((text) => /\(.+\)$/.test(text) && text.startsWith(family));
    if (rule) return { f, d: { action: 'deny', reason: `a file only known when it runs could be one deny rule ${rule} covers`, rule } };
    return { f, d: { action: 'ask', reason: 'the file is only known when the command runs' } };
  });
}

const verb = (access: 'write' | 'read') => (access === 'write' ? 'writes' : 'reads');

function decideFile(ctx: MatchContext, target: string, access: 'write' | 'read'): Decision {
  const tool = access === 'write' ? { toolName: 'Write', kind: 'edit' as const } : { toolName: 'Read', kind: 'read' as const };
  return decide({ ...ctx, ...tool, target, shell: undefined });
}

function bashRules(list: string[]): BashRule[] {
  return list.flatMap((text) => {
    try {
      const rule = parseRule(text);
      return rule.tool === 'Bash' ? [{ text: rule.text, content: rule.content }] : [];
    } catch {
      return [];
    }
  });
}

interface MatchContext extends DecideInput {
  home: string;
  /** The target resolved as the tool will resolve it (tilde, relative); undefined for tools without a path. */
  abs?: string;
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
  const loose = list !== 'allow';
  return parsed.find((r) => matchTarget(r, ctx, loose))?.text;
}

/**
 * For search tools: whether a Read deny rule covers an absolute path or its real path, so Grep, Glob and LS leave
 * it out. Undefined when no Read deny rule names a path (the tools then skip the check entirely).
 */
export function readDenial(deny: string[], projectRoot: string, home: string = homedir()): ((abs: string) => boolean) | undefined {
  const rules = deny.flatMap((text) => {
    try {
      const rule = parseRule(text);
      return rule.content !== undefined && coversTool(rule.tool, 'Read') ? [rule] : [];
    } catch {
      return [];
    }
  });
  if (rules.length === 0) return undefined;
  const base = { toolName: 'Read', kind: 'read' as const, mode: 'default' as const, allow: [], deny, ask: [], projectRoot, cwd: projectRoot, home };
  return (abs) => rules.some((rule) => matchTarget(rule, { ...base, target: abs, abs }, true));
}

function isPathTool(name: string): boolean {
  return EDIT_TOOLS.includes(name) || READ_TOOLS.includes(name);
}

/** Whether a deny rule without a specifier covers `toolName` (`mcp__server` or the tool itself); bad rules are skipped. */
export function deniesWholeTool(deny: readonly string[], toolName: string): boolean {
  return deny.some((text) => {
    try {
      const rule = parseRule(text);
      return rule.content === undefined && coversTool(rule.tool, toolName);
    } catch {
      return false;
    }
  });
}

/** Exported for tests. `mcp__server` covers every tool of that server (`mcp__server__tool`), and only those. */
export function coversTool(ruleTool: string, toolName: string): boolean {
  if (ruleTool === toolName) return true;
  if (/^mcp__[A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*$/.test(ruleTool)) return toolName.startsWith(`${ruleTool}__`);
  if (ruleTool === 'Edit') return EDIT_TOOLS.includes(toolName);
  if (ruleTool === 'Read') return READ_TOOLS.includes(toolName);
  return false;
}

/** Deny and ask rules (`loose`) match the path as written and its real path, so a symlink cannot dodge them. */
function matchTarget(rule: Rule, ctx: MatchContext, loose: boolean): boolean {
  const content = rule.content!;
  const target = ctx.target!;
  if (rule.tool === 'WebFetch' && content.startsWith('domain:')) return domainMatches(content.slice(7), target);
  if (!isPathTool(rule.tool)) return content === target;
  const paths = loose ? [ctx.abs!, realPathOf(ctx.abs!)] : [ctx.abs!];
  const roots = loose ? [ctx.projectRoot, realPathOf(ctx.projectRoot)] : [ctx.projectRoot];
  return paths.some((abs) =>
    roots.some((root) => pathMatches(content, abs, root, ctx.home) || (loose && /^\/[^/]/.test(content) && pathMatches('/' + content, abs, root, ctx.home))),
  );
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
  return pathMatcher(content, projectRoot, home)(absPath);
}

/** pathMatches for one rule, compiled once (the sandbox tests every file of a project against it). */
export function pathMatcher(content: string, projectRoot: string, home: string): (absPath: string) => boolean {
  let base = projectRoot;
  let pattern = content;
  const anchored = /^(\/|~\/|~$|\.\/)/.test(content);
  if (content.startsWith('//')) [base, pattern] = ['/', content.slice(2)];
  else if (content === '~' || content.startsWith('~/')) [base, pattern] = [home, content.slice(2)];
  else if (content.startsWith('/')) pattern = content.slice(1);
  else if (content.startsWith('./')) pattern = content.slice(2);
  while (pattern.startsWith('../')) [base, pattern] = [path.dirname(base), pattern.slice(3)];
  pattern = pattern.replace(/\/+$/, '') || '**';
  const matchesBase = pattern.replace(/[*/]/g, '') === '';
  if (!anchored && !pattern.includes('/')) pattern = `**/${pattern}`;
  const globs = pattern.endsWith('**') ? [pattern] : [pattern, `${pattern}/**`];
  const test = picomatch(globs, { dot: true, nocase: CASE_INSENSITIVE_FS });
  return (absPath) => {
    const rel = path.relative(base, absPath);
    if (leavesBase(rel)) return false;
    if (rel === '') return matchesBase;
    return test(rel);
  };
}

/** macOS and Windows file systems ignore case by default: `.ENV` is `.env`, `.GIT` is `.git`. */
const CASE_INSENSITIVE_FS = process.platform === 'darwin' || process.platform === 'win32';

function isAbsoluteRule(text: string): boolean {
  try {
    const content = parseRule(text).content;
    return content !== undefined && (content.startsWith('//') || content.startsWith('~/'));
  } catch {
    return false;
  }
}

/** Whether the path, as written and as it really lands, is inside one of the folders. */
function within(dirs: string[], abs: string): boolean {
  const real = realPathOf(abs);
  return dirs.some((dir) => isWithin(dir, abs) && isWithin(realPathOf(dir), real));
}

/** Edits that ask even when a rule or acceptEdits would allow them: outside the project, or in .git/.glm. */
function guardedWrite(ctx: MatchContext): { reason: string; outside: boolean } | undefined {
  if (ctx.abs === undefined) return undefined;
  const abs = ctx.abs;
  // Protected places first: no allow rule reaches them, not even one naming an outside folder.
  const place = protectedPlace(ctx.projectRoot, abs);
  if (place) return { reason: `writes inside ${place} always need approval`, outside: false };
  if (!within([ctx.projectRoot, ...(ctx.additionalDirs ?? [])], abs)) {
    return { reason: `${outsideText(abs, ctx.projectRoot)}, so writing it needs approval`, outside: true };
  }
  return undefined;
}

/** Reads and searches outside the project, the added folders and glm's own session files ask. */
function guardedRead(ctx: MatchContext): { reason: string; outside: boolean } | undefined {
  const abs = ctx.abs ?? ctx.cwd;
  if (within([ctx.projectRoot, ...(ctx.additionalDirs ?? []), ...(ctx.ownDirs ?? [])], abs)) return undefined;
  return { reason: `${outsideText(abs, ctx.projectRoot)}, so reading it needs approval`, outside: true };
}

/** Why a path is outside: a path inside the project that a symlink leads out of says where it really goes. */
function outsideText(abs: string, root: string): string {
  const real = realPathOf(abs);
  if (real !== abs && isWithin(root, abs)) return `${abs} leads to ${real}, outside the project (${root})`;
  return `${abs} is outside the project (${root})`;
}

/**
 * The rule "always allow" adds: `Bash(git status:*)` for a plain command, the exact command when it is compound or
 * could run code or write through its arguments (none when its text would read as a wider pattern),
 * `Edit(src/lib/**)` for a file in src/lib, the file itself outside the project (`Edit(~/notes/a.md)`).
 */
export function suggestRule(toolName: string, target: string | undefined, projectRoot: string, shell?: ShellAnalysis): string | undefined {
  if (target === undefined || target.trim() === '') return toolName;
  if (toolName === 'Bash') return shell ? suggestBashRule(shell) : `Bash(${target.trim()})`;
  if (toolName === 'WebFetch') return URL.canParse(target) ? `WebFetch(domain:${new URL(target).hostname})` : toolName;
  const family = EDIT_TOOLS.includes(toolName) ? 'Edit' : READ_TOOLS.includes(toolName) ? 'Read' : undefined;
  if (!family) return toolName;
  const abs = resolveToolPath(projectRoot, target);
  const rel = path.relative(projectRoot, abs);
  const escape = (s: string) => s.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
  if (!leavesBase(rel)) {
    // A file at the root gets an anchored rule (`/package.json`): a bare name would match at any depth.
    const dir = path.dirname(rel);
    return dir === '.' ? `${family}(/${escape(rel)})` : `${family}(${escape(dir)}/**)`;
  }
  // Outside the project, the file itself: a folder rule there could be the whole home folder or /etc.
  const home = homedir();
  if (abs.startsWith(home + path.sep)) return `${family}(~/${escape(abs.slice(home.length + 1))})`;
  return `${family}(/${escape(abs)})`;
}
