// Bash permission rules judged against a parsed command: deny and ask rules see every command anywhere in it,
// normalised (wrappers, folders, quotes and git's global options removed; a computed word matches anything);
// allow rules must cover every command, each proven plain; "always allow" suggests a narrow rule.
// Imports the analysis, normaliser and argument table; never the permission layer itself.
import type { ShellAnalysis } from './analyze.ts';
import { baseName, commandWords, type Word } from './normalize.ts';
import { argumentRisk } from './risky.ts';

/** A Bash rule's text and what is inside its parentheses (undefined: every command). */
export interface BashRule {
  text: string;
  content?: string;
}

type Pattern = { kind: 'prefix' | 'exact'; words: string[] } | { kind: 'wildcard'; regex: RegExp; first: string };

function patternOf(content: string): Pattern {
  const spec = content.trim();
  if (spec.endsWith(':*')) return { kind: 'prefix', words: ruleWords(spec.slice(0, -2)) };
  if (!spec.includes('*')) return { kind: 'exact', words: ruleWords(spec) };
  // Claude Code's wildcard form: `*` matches anything, and a trailing ` *` may match nothing (`ls *` covers `ls`).
  const flat = spec.replace(/\s+/g, ' ');
  const pieces = flat.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  let source = pieces.join('.*');
  if (flat.endsWith(' *') && flat.indexOf('*') === flat.length - 1) source = `${pieces[0].slice(0, -1)}(?: .*)?`;
  return { kind: 'wildcard', regex: new RegExp(`^${source}$`, 's'), first: ruleWords(flat)[0] ?? '' };
}

/** A rule's words: split on blanks, quotes and backslashes removed as the shell would. */
function ruleWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/(?:'[^']*'|"(?:\\.|[^"\\])*"|\\.|[^\s'"\\])+/g)) {
    words.push(m[0].replace(/'([^']*)'|"((?:\\.|[^"\\])*)"|\\(.)/g, (_a, s, d, e) => s ?? (d !== undefined ? d.replace(/\\([$`"\\])/g, '$1') : e)));
  }
  return words;
}

/** Whether the words, some unknown, could be what the pattern names (deny and ask: unknown words match). */
function mayMatch(pattern: Pattern, words: Word[]): boolean {
  if (pattern.kind === 'wildcard') {
    if (words.some((w) => w === undefined || /[*?[]/.test(w))) return words[0] === undefined || /[*?[]/.test(words[0]) || words[0] === baseName(pattern.first);
    return pattern.regex.test(words.join(' '));
  }
  const want = pattern.words.map((w, i) => (i === 0 ? baseName(w) : w));
  // A word the shell computes, or a glob (`git pus?`, `/bin/r[m]`), could be any words: from there on, anything.
  const open = words.findIndex((w) => w === undefined || /[*?[]/.test(w));
  if (open >= 0 && open < want.length) return want.slice(0, open).every((w, i) => words[i] === w);
  if (words.length < want.length || (pattern.kind === 'exact' && words.length !== want.length)) return false;
  return want.every((w, i) => words[i] === w);
}

/** Whether plain words are exactly covered by the pattern (allow: the name as written, no guessing). */
function covers(pattern: Pattern, words: string[]): boolean {
  if (pattern.kind === 'wildcard') return pattern.regex.test(words.join(' '));
  if (words.length < pattern.words.length || (pattern.kind === 'exact' && words.length !== pattern.words.length)) return false;
  return pattern.words.every((w, i) => words[i] === w);
}

/**
 * The first deny or ask rule that any command in the call could match, seen through wrappers and spelling. When
 * the call holds code glm cannot follow (unproven syntax, or a program that runs its arguments: `git rebase -x`,
 * `awk 'BEGIN{system(…)}'`), a rule whose program is named anywhere in its text matches too: fail closed.
 */
export function bashRuleHit(rules: BashRule[], shell: ShellAnalysis): string | undefined {
  const opaque = shell.unproven.length > 0 || shell.commands.some((c) => c.words.every((w) => w !== undefined) && argumentRisk(c.words as string[]).reason);
  for (const rule of rules) {
    if (rule.content === undefined) return rule.text;
    const pattern = patternOf(rule.content);
    if (shell.commands.some((c) => mayMatch(pattern, commandWords(c.words)) || mayMatch(pattern, c.words))) return rule.text;
    if (opaque && namesProgram(shell.command, pattern)) return rule.text;
  }
  return undefined;
}

/** Whether the text names every word of the rule as a word of its own (`rm` in `'a[$(rm x)]'`, not in `format`). */
function namesProgram(text: string, pattern: Pattern): boolean {
  const words = pattern.kind === 'wildcard' ? [pattern.first] : pattern.words;
  const named = words.map((w, i) => (i === 0 ? baseName(w) : w)).filter((w) => w && !w.includes('*'));
  if (named.length === 0) return false;
  return named.every((w) => new RegExp(`(^|[^\\w.-])${w.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w.-])`).test(text));
}

export type BashAllowance = { allowed: true; rules: string[]; writes: string[]; exact?: boolean } | { allowed: false; reason: string };

/**
 * Whether allow rules cover the whole call: a rule that is exactly the command's text, or every command proven
 * plain words and each matched by a rule, with no option that runs code or writes. `writes` are the files the
 * call writes (redirections, cp/mv/tee … targets), for the caller to judge like Write.
 */
export function bashAllowance(rules: BashRule[], shell: ShellAnalysis): BashAllowance {
  const whole = rules.find((r) => r.content !== undefined && r.content.trim() === shell.command.trim());
  if (whole) return { allowed: true, rules: [whole.text], writes: [], exact: true };
  const unproven = shell.unproven[0];
  if (unproven) return { allowed: false, reason: `the command uses ${unproven}, so no rule can vouch for it` };
  const patterns = rules.flatMap((r) => (r.content === undefined ? [] : [{ text: r.text, pattern: patternOf(r.content) }]));
  const used: string[] = [];
  const writes = shell.redirects.filter((r) => r.access === 'write').map((r) => r.target!);
  // Nested commands of a proven call are what a top-level one hands on (`git -C . push` → git push): that
  // top-level command is the one a rule must cover.
  for (const cmd of shell.commands.filter((c) => !c.nested)) {
    const words = cmd.words as string[];
    const hit = patterns.find((p) => covers(p.pattern, words));
    if (!hit) return { allowed: false, reason: `no allow rule covers ${words.join(' ')}` };
    const risk = argumentRisk(words);
    if (risk.reason) return { allowed: false, reason: `${risk.reason}, which ${hit.text} does not vouch for` };
    used.push(hit.text);
    writes.push(...risk.writes);
  }
  // A glob in a written path expands first: `.gi?/config` is .git/config, which the check would not see.
  if (writes.some((w) => /[*?[\]]/.test(w))) return { allowed: false, reason: 'a glob in a file the command writes, which could expand to any file' };
  const relative = writes.some((w) => !w.startsWith('/') && !w.startsWith('~'));
  if (relative && shell.commands.some((c) => ['cd', 'pushd', 'popd'].includes(c.words[0] ?? ''))) {
    return { allowed: false, reason: 'the command changes folder before it writes, so glm cannot tell which file it writes' };
  }
  return { allowed: true, rules: [...new Set(used)], writes };
}

/**
 * Programs that only read and print whatever their arguments: "always allow" offers a prefix rule for them (and
 * for git's read-only subcommands). Any other program gets the exact command: its arguments could run code.
 */
const PREFIX_SAFE = new Set('ls cat head tail wc pwd echo grep egrep fgrep rg which file stat du df diff cmp uniq cut tr nl date whoami uname basename dirname realpath readlink jq printenv id true false sleep'.split(' '));

/** git subcommands that only read: a prefix rule for them; with options, log/diff/show get the exact command. */
const GIT_PREFIX = new Set(['status', 'diff', 'log', 'show', 'blame', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog', 'reflog', 'cat-file', 'count-objects', 'whatchanged']);
const GIT_OPTIONS_EXACT = new Set(['log', 'diff', 'show', 'whatchanged']);

/** The rule "always allow" adds for a command: `git status:*`, `ls:*`, or the exact command when it could do more. */
export function suggestBashRule(shell: ShellAnalysis): string | undefined {
  const command = shell.command.trim();
  // Rule text has no escape for `*` or a trailing `:*`: such a command as an exact rule would be a wider pattern.
  const exact = command.includes('*') ? undefined : `Bash(${command})`;
  const top = shell.commands.filter((c) => !c.nested);
  if (shell.unproven.length || top.length !== 1 || shell.redirects.length || shell.commands.length !== 1) return exact;
  const words = top[0].words as string[];
  const plain = (w: string | undefined) => w !== undefined && /^[A-Za-z0-9][\w.:@/+-]*$/.test(w);
  const sub = (w: string | undefined) => w !== undefined && /^[A-Za-z][\w:-]*$/.test(w);
  const [w0, w1] = words;
  if (!plain(w0) || argumentRisk(words).reason) return exact;
  if (w0 === 'git') {
    const options = words.slice(2).some((w) => w.startsWith('-'));
    return sub(w1) && GIT_PREFIX.has(w1) && !(options && GIT_OPTIONS_EXACT.has(w1)) ? `Bash(git ${w1}:*)` : exact;
  }
  return PREFIX_SAFE.has(w0) ? `Bash(${w0}:*)` : exact;
}
