// What a sandboxed command may touch: the folders it may write (the project, the added folders, the session's temp
// folder, sandbox.allowWrite), the places inside them that stay read-only (.git hooks and config, nested repositories'
// too, .glm, .claude), and what it cannot read at all (~/.ssh, ~/.aws, ~/.gnupg, glm's config and data folders, Read
// deny rules, agent sockets). File-system look-ups (the project walk is ./project-walk.ts); imports paths.ts,
// terminal-text.ts and the sandbox's own modules only.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../paths.ts';
import { readDenyRules, walkedRules } from './deny-globs.ts';
import { commondirGuards, type CommondirGuard } from './git-commondir.ts';
import { ProjectWalk } from './project-walk.ts';

export interface PolicyInput {
  projectRoot: string;
  /** --add-dir folders: written like the project. */
  additionalDirs: string[];
  /** sandbox.allowWrite, absolute. */
  allowWrite: string[];
  /** The permission deny rules: the Read ones name files the sandbox hides. */
  denyRules: string[];
  configDir: string;
  home: string;
  /** The session's own temp folder: the command's /tmp (and TMPDIR) inside. */
  tmpDir: string;
  /** glm's data folder: every session's transcript and saved outputs (hidden, whatever it holds). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The session's walk of the project (kept between commands); a fresh one reads every folder. */
  walk?: ProjectWalk;
}

export interface SandboxPolicy {
  /**
   * The folder mounted at /tmp (the session's own): commands write there, never in the shared /tmp. What else of
   * the real /tmp they need is bound back into it: `readable` (the home folder, when it is there), then `writable`.
   */
  tmp?: string;
  readable?: string[];
  /** Real paths of existing folders a command may write, parents before children. */
  writable: string[];
  /** Existing places inside them that stay read-only. */
  readOnly: string[];
  /**
   * Existing paths a command cannot read (an empty folder or file in their place); `keep`: writable folders inside
   * a hidden folder that stay reachable through it (the session's temp folder inside the data folder).
   */
  hidden: { path: string; dir: boolean; keep?: string[] }[];
  /** Files shown read-only to one process although a hidden folder holds them (a hook's transcript; set per launch). */
  shown?: string[];
  /** Deny rules or paths the sandbox does not enforce, with why (glm doctor lists them). */
  unenforced: string[];
  /** Why no command may start: a Read deny pattern could not be checked against the whole project. */
  refused?: string;
  /** The git folders' commondir files, put back after each process (git-commondir.ts). */
  commondirs?: CommondirGuard[];
}

/** Credentials and glm's own settings (which may hold the API key): never readable inside. */
export const DEFAULT_HIDDEN = ['~/.ssh', '~/.aws', '~/.gnupg', '~/.git-credentials', '~/.netrc', '~/.config/gh', '~/.docker/config.json'];

const real = (p: string): string | undefined => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

export function sandboxPolicy(o: PolicyInput): SandboxPolicy {
  const unenforced: string[] = [];
  const roots = [o.projectRoot, ...o.additionalDirs].map(real).filter((p): p is string => p !== undefined);
  // Before every command: the files Read deny patterns match, and nested repositories (walked even without patterns).
  const scan = (o.walk ?? new ProjectWalk()).scan(walkedRules(o.denyRules), roots, real(o.projectRoot) ?? o.projectRoot, o.home);
  const home = (p: string) => (p === '~' ? o.home : p.startsWith('~/') ? path.join(o.home, p.slice(2)) : p);
  const denied = [...readDenyPaths(o.denyRules, o.projectRoot, o.home, unenforced), ...scan.hidden.map((h) => h.path)];
  const wanted = unique([...DEFAULT_HIDDEN.map(home), o.configDir, ...agentSockets(o.env ?? process.env), ...denied].map(real).filter((p): p is string => p !== undefined));
  const base = [...roots, ...o.allowWrite.map(real).filter((p): p is string => !!p)];
  // A nested repository in a hidden folder is out of sight anyway: pinning it would make that folder stay readable.
  const out = wanted.filter((p) => !base.some((w) => isWithin(p, w)));
  const repos = scan.repos.filter((r) => !out.some((p) => isWithin(p, r)));
  const git = [...roots.map(gitPlaces), ...repos.map((r) => nestedGitPlaces(r, roots))];
  const writable = unique([...base, ...git.flatMap((g) => g.writable)]);
  const tmp = real(o.tmpDir) ?? o.tmpDir;
  // glm's and Claude Code's project settings (permissions, hooks, commands, agents, skills glm reads): never a command's to change.
  const settings = roots.flatMap((r) => [path.join(r, '.glm'), path.join(r, '.claude')]);
  const readOnly = unique([...settings, ...git.flatMap((g) => g.readOnly)].filter(existsSync));
  const hidden: SandboxPolicy['hidden'] = [];
  for (const p of wanted) {
    const holds = writable.find((w) => isWithin(p, w));
    if (holds) {
      unenforced.push(`${p} stays readable: it holds ${holds}, which commands must reach`);
      continue;
    }
    hidden.push({ path: p, dir: statSync(p).isDirectory() });
  }
  writable.push(...hiddenPins(hidden, writable, readOnly));
  const pinned = unique(writable);
  const data = o.dataDir && real(o.dataDir);
  if (data && !hidden.some((h) => h.path === data)) {
    // Transcripts of every session (what the user pasted, what tools printed): never readable by a command.
    if (pinned.includes(data)) unenforced.push(`${data} (glm's data folder) stays readable: sandbox.allowWrite lists it`);
    else hidden.push({ path: data, dir: true, keep: pinned.filter((w) => w !== data && isWithin(data, w)) });
  }
  const homeDir = real(o.home);
  const readable = homeDir && underTmp(homeDir) ? [homeDir] : [];
  const commondirs = commondirGuards([...roots, ...scan.repos]);
  return { tmp, readable, writable: pinned, readOnly, hidden, unenforced, commondirs, ...(scan.refused && { refused: scan.refused }) };
}

const REAL_TMP = real('/tmp') ?? '/tmp';

/** Whether a (real) path lies in the shared /tmp, which commands see only through their private one. */
export const underTmp = (p: string): boolean => isWithin(REAL_TMP, p);

const unique = (list: string[]) => [...new Set(list)].sort((a, b) => a.length - b.length);

interface GitPlaces {
  writable: string[];
  readOnly: string[];
}

/**
 * The folders between each hidden path and the writable folder holding it, bound onto themselves: a mount point cannot
 * be renamed, so no command moves a hidden file's folder to a name no rule names (`mv config cfg` past
 * Read(./config/.env)) or into node_modules, which the walk skips, to read it at the next command. (The hidden path
 * itself is a mount already.) Not inside read-only places, where nothing can be renamed anyway.
 */
function hiddenPins(hidden: SandboxPolicy['hidden'], writable: string[], readOnly: string[]): string[] {
  const pins = new Set<string>();
  for (const h of hidden) {
    const holder = writable.filter((w) => w !== h.path && isWithin(w, h.path)).sort((a, b) => b.length - a.length)[0];
    if (!holder) continue;
    for (let d = path.dirname(h.path); d !== holder && isWithin(holder, d); d = path.dirname(d)) {
      if (!readOnly.some((r) => isWithin(r, d))) pins.add(d);
    }
  }
  return [...pins];
}

/**
 * A repository's git folders: `.git` itself is written by git (index, objects, refs), its hooks and config never
 * (they run code on the next git command). A worktree's `.git` file points to its folder in the main repository.
 */
function gitPlaces(root: string): GitPlaces {
  const dotGit = path.join(root, '.git');
  let gitDir = dotGit;
  let common = dotGit;
  try {
    if (statSync(dotGit).isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      const dir = m && real(path.resolve(root, m[1]!));
      const main = dir && worktreeCommon(dir);
      if (!dir || !main) return { writable: [], readOnly: [dotGit] };
      [gitDir, common] = [dir, main];
    }
  } catch {
    return { writable: [], readOnly: [] };
  }
  const hooks = path.join(common, 'hooks');
  // A command could create a missing hooks folder and fill it: git would create it empty anyway.
  if (!existsSync(hooks)) mkdirSync(hooks, { recursive: true });
  const readOnly = [hooks, path.join(common, 'config'), path.join(gitDir, 'config.worktree')];
  // .git bound onto itself is a mount point, which a command cannot rename: else `mv .git old && mv copy .git` swaps
  // in a copy whose hooks and config run code on the user's next git command. A worktree's .git file stays as it is.
  // A submodule's git folder (.git/modules/<name>) runs its hooks and config when the user works in the submodule.
  for (const m of moduleGitDirs(path.join(common, 'modules'))) {
    if (!existsSync(path.join(m, 'hooks'))) mkdirSync(path.join(m, 'hooks'));
    readOnly.push(path.join(m, 'hooks'), path.join(m, 'config'));
  }
  // Worktrees' commondir files (git takes hooks and config from the folder they name) stay as git made them; a
  // commondir planted where none belongs is removed after each command (git-commondir.ts).
  readOnly.push(...worktreeLinks(common));
  const pins = gitFolderPins(common);
  if (gitDir === dotGit) return { writable: [dotGit, ...pins], readOnly };
  return { writable: [gitDir, common, ...pins], readOnly: [...readOnly, dotGit] };
}

/** The `commondir` files of a git folder's worktrees (`<dir>/worktrees/<name>/commondir`) that exist. */
function worktreeLinks(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, 'worktrees')).map((n) => path.join(dir, 'worktrees', n, 'commondir')).filter(existsSync);
  } catch {
    return [];
  }
}

/**
 * The submodules' and worktrees' git folders and the folders that lead to them, bound onto themselves: a mount point
 * cannot be renamed, so no command moves `.git/modules/lib` (or `.git/modules`, `.git/worktrees/wt`) aside for a
 * copy with a core.fsmonitor that the user's next `git status` runs (it enters submodules).
 */
function gitFolderPins(common: string): string[] {
  const pins = new Set<string>();
  for (const d of moduleGitDirs(path.join(common, 'modules'))) {
    for (let p = d; p !== common && isWithin(common, p); p = path.dirname(p)) pins.add(p);
  }
  const worktrees = path.join(common, 'worktrees');
  if (existsSync(worktrees)) pins.add(worktrees);
  for (const name of subfolders(worktrees)) pins.add(name);
  return [...pins];
}

/** The git folders of the submodules under `dir` (names may hold slashes; submodules nest). */
function moduleGitDirs(dir: string, depth = 0): string[] {
  if (depth > 8) return [];
  return subfolders(dir).flatMap((d) => (existsSync(path.join(d, 'HEAD')) ? [d, ...moduleGitDirs(path.join(d, 'modules'), depth + 1)] : moduleGitDirs(d, depth + 1)));
}

const subfolders = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
};

/**
 * A nested repository (a folder below a root with a `.git` folder of its own, not a submodule): its hooks and config
 * read-only like the top-level ones, and it, its `.git` and every folder between it and the root bound onto
 * themselves, so no command can rename its way to swapping in a copy with a hook (`mv lib lib2; mkdir lib; …`).
 */
function nestedGitPlaces(repo: string, roots: string[]): GitPlaces {
  const root = roots.filter((r) => isWithin(r, repo)).sort((a, b) => b.length - a.length)[0];
  const pins: string[] = [];
  for (let d = repo; root && d !== root && isWithin(root, d); d = path.dirname(d)) pins.push(d);
  const own = gitPlaces(repo);
  return { ...own, writable: [...pins, ...own.writable.filter((w) => root && isWithin(root, w))] };
}


/**
 * The main repository's git folder of a worktree's (`<common>/worktrees/<name>`, as its `commondir` file says; the
 * folder itself without that file, as for a submodule), or undefined when the file says anything else: commands
 * write there, and one would point it at a folder it wants writable at the next command. (A `.git` folder's own
 * `commondir` is never followed, for the same reason.)
 */
function worktreeCommon(gitDir: string): string | undefined {
  const file = path.join(gitDir, 'commondir');
  if (!existsSync(file)) return gitDir;
  try {
    const common = real(path.resolve(gitDir, readFileSync(file, 'utf8').trim()));
    return common && /^worktrees\/[^/]+$/.test(path.relative(common, gitDir)) ? common : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Daemons a command could drive through their sockets to leave the sandbox (a container runtime starts a privileged
 * container; the system bus reaches systemd): hidden even where the seccomp filter refuses unix sockets already.
 */
export const DAEMON_SOCKETS = [
  '/run/docker.sock', '/var/run/docker.sock', '/run/containerd', '/var/run/containerd', '/run/podman', '/run/crio',
  '/run/buildkit', '/run/k3s', '/run/libvirt', '/run/snapd.socket', '/run/snapd-snap.socket', '/run/dbus', '/var/run/dbus',
  '/run/systemd/private', '/run/systemd/io.systemd.Machine', '/run/lxd-installer.socket', '/var/snap/lxd/common/lxd/unix.socket',
]; // prettier-ignore

/** The user's agents and the daemons a command could drive through their sockets: ssh-agent, the session bus, docker. */
function agentSockets(env: NodeJS.ProcessEnv): string[] {
  const uid = process.getuid?.();
  const out = [...DAEMON_SOCKETS];
  if (uid !== undefined) out.push(`/run/user/${uid}`);
  if (env.XDG_RUNTIME_DIR) out.push(env.XDG_RUNTIME_DIR);
  if (env.SSH_AUTH_SOCK) out.push(path.dirname(env.SSH_AUTH_SOCK));
  return out;
}

// The paths Read deny rules name, when a rule names a path rather than a pattern: `Read(./.env)`, `Read(~/secrets/**)`,
// `Read(//etc/shadow)`. Patterns and bare names (`Read(**/.env)`, `Read(.env)`: any depth) are found by walking the
// project at launch (deny-globs.ts); there, only inside the project.
function readDenyPaths(rules: string[], projectRoot: string, home: string, unenforced: string[]): string[] {
  const out: string[] = [];
  for (const { text, path: c, walked } of readDenyRules(rules)) {
    if (walked) {
      if (/^(\/\/|~|\.\.\/)/.test(c)) unenforced.push(`${text}: a pattern; the sandbox hides what it matches inside the project only`);
      continue;
    }
    if (c.startsWith('//')) out.push(path.resolve('/', c.slice(2)));
    else if (c === '~' || c.startsWith('~/')) out.push(path.join(home, c.slice(2)));
    // `/x` is project-relative (Claude Code's convention); like the permission check, the absolute /x is hidden too.
    else if (c.startsWith('/')) out.push(path.resolve(projectRoot, c.slice(1)), c);
    else out.push(path.resolve(projectRoot, c));
  }
  return out;
}

/** The writable folders as a user reads them: none inside another (`.git` is bound onto itself, not extra room). */
export function writableShown(writable: readonly string[]): string[] {
  return writable.filter((w) => !writable.some((other) => other !== w && isWithin(other, w)));
}
