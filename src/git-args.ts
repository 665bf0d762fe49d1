// The argv and environment of every git command glm runs itself (the prompt's `git status`, review, hook,
// commit): options that keep a repository's own config from running programs (fsmonitor, hooks, signature checks,
// filter drivers, pagers, transports) and from taking locks behind the user's back. Imports node built-ins only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `git` arguments for `args`. Hooks are off (core.hooksPath=/dev/null: `git add` alone can run post-index-change)
 * unless `userHooks`: for the user's own `git commit` that glm commit runs on purpose, and for questions about
 * where the hooks are (`rev-parse --git-path hooks`, `config core.hooksPath`), which the override would answer.
 * `filters` comes from repoFilterOverrides. Diff drivers (textconv, external diff) are the diff callers' part:
 * `--no-textconv --no-ext-diff` (an empty `diff.<name>.textconv` or `.command` is run as a program, and fails).
 */
export function gitArgv(args: readonly string[], o: { userHooks?: boolean; filters?: readonly string[] } = {}): string[] {
  return [
    '--no-pager', // core.pager and pager.<command> only matter on a terminal, as in glm commit
    '-c', 'core.fsmonitor=false',
    '-c', 'log.showSignature=false',
    ...(o.userHooks ? [] : ['-c', 'core.hooksPath=/dev/null']),
    ...(o.filters ?? []),
    '--no-optional-locks',
    ...args,
  ]; // prettier-ignore
}

/**
 * The environment for glm's own git: no transport at all. A partial clone fetches missing objects on demand
 * (`git status`, `git diff`), through the repository's remote settings (uploadpack, core.sshCommand, credential
 * helpers). GIT_ALLOW_PROTOCOL overrides every protocol.*.allow setting; empty allows none.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_ALLOW_PROTOCOL: '' };
}

// A section header: [name], [name.sub] or [name "sub"] (a subsection escapes `"` and `\` with a backslash).
const HEADER = /\[([\w.-]+)(?:\s*"((?:[^"\\\n]|\\.)*)")?\s*\]/g;
const LEADING_HEADERS = /^\s*((?:\[[\w.-]+(?:\s*"(?:[^"\\\n]|\\.)*")?\s*\]\s*)*)(.*)$/;
const INCLUDE_PATH = /^path\s*=\s*(?:"([^"\\\n]*)"|([^\s"\\#;][^"\\#;]*?))\s*(?:[#;].*)?$/i;

/**
 * `-c` overrides that switch off every filter driver the repository's own config defines: a clean filter runs in
 * `git status` for a tracked file whose stat changed, in `git diff` against the work tree and in `git add`. An
 * empty `process`, `clean` and `smudge` mean no filter (git's convert.c); `required=false` keeps git from failing
 * for want of one. Read with fs, to spare `glm -p` a process; include.path and includeIf are followed whatever
 * their condition. undefined when it cannot tell (an include it cannot read as a plain path, a name `-c` cannot
 * spell): the caller runs no git then. [] outside a repository.
 */
export function repoFilterOverrides(cwd: string): string[] | undefined {
  const dirs = gitDirs(cwd);
  if (!dirs) return [];
  const names = new Set<string>();
  for (const file of [path.join(dirs.common, 'config'), path.join(dirs.git, 'config.worktree')]) {
    if (!collectFilters(file, names, 0)) return undefined;
  }
  const out: string[] = [];
  for (const n of names) {
    if (/[=\n]/.test(n)) return undefined;
    out.push('-c', `filter.${n}.process=`, '-c', `filter.${n}.clean=`, '-c', `filter.${n}.smudge=`, '-c', `filter.${n}.required=false`);
  }
  return out;
}

/** The repository's git folder and common folder (the main one's, for a linked work tree), as git finds them. */
export function gitDirs(cwd: string): { git: string; common: string } | undefined {
  const git = process.env.GIT_DIR ? path.resolve(cwd, process.env.GIT_DIR) : findGitDir(path.resolve(cwd));
  if (!git) return undefined;
  const common = process.env.GIT_COMMON_DIR ?? readText(path.join(git, 'commondir'))?.trim();
  return { git, common: common ? path.resolve(git, common) : git };
}

function findGitDir(dir: string): string | undefined {
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const st = statSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) return dotGit;
    const link = st?.isFile() ? /^gitdir: *(.+?)\s*$/m.exec(readText(dotGit) ?? '')?.[1] : undefined;
    if (link) return path.resolve(dir, link);
    if (existsSync(path.join(dir, 'HEAD')) && existsSync(path.join(dir, 'objects'))) return dir; // bare
    if (path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}

/**
 * Adds the `[filter "…"]` names of a config file and what it includes; false when unsure. Headers are matched
 * anywhere (one inside a value or comment only adds a harmless override); a missing file is skipped, as git does.
 */
function collectFilters(file: string, names: Set<string>, depth: number): boolean {
  if (depth > 10) return false;
  const text = readText(file);
  if (text === undefined) return true;
  for (const m of text.matchAll(HEADER)) {
    const full = m[2] === undefined ? m[1]!.toLowerCase() : `${m[1]!.toLowerCase()}.${m[2].replace(/\\(.)/g, '$1')}`;
    if (full.startsWith('filter.')) names.add(full.slice('filter.'.length));
  }
  if (!/\[include/i.test(text)) return true;
  let inInclude = false;
  for (const line of text.split('\n')) {
    const [, headers, rest] = LEADING_HEADERS.exec(line)!;
    const last = [...headers!.matchAll(HEADER)].at(-1);
    if (last) inInclude = /^include(?:if)?$/i.test(last[1]!.split('.')[0]!);
    if (!inInclude || !/^path\b/i.test(rest!)) continue;
    const m = INCLUDE_PATH.exec(rest!);
    const p = m?.[1] ?? m?.[2];
    if (p === undefined || /^~[^/]/.test(p)) return false;
    const target = p.startsWith('~/') ? path.join(os.homedir(), p.slice(2)) : path.resolve(path.dirname(file), p);
    if (!collectFilters(target, names, depth + 1)) return false;
  }
  return true;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
