// The `commondir` files of the project's git folders, put back after every sandboxed process. Git follows a git
// folder's `commondir` for its config and hooks (a main repository's `.git` too, where it never belongs), and a
// command may write in `.git` (git needs that), so one line in `.git/commondir` naming a copy with a core.fsmonitor
// ran that copy's code at the user's next `git status`, outside the sandbox. A main repository's or submodule's git
// folder gets it removed, a worktree's (`<common>/worktrees/<name>`) gets git's own `../..` back: when the process
// ends (the launch's outer shell, outside the sandbox) and before every launch and at the session's end (here).
// Imports node built-ins only.
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shellQuote as q } from '../shell-quote.ts';

/** A commondir file: removed (`text` undefined) or holding `text`. */
export interface CommondirGuard {
  file: string;
  text?: string;
}

const WORKTREE_COMMONDIR = '../..';

/** The guards for the git folders of these repositories (folders with a `.git` folder or file). */
export function commondirGuards(repos: string[]): CommondirGuard[] {
  const out: CommondirGuard[] = [];
  for (const repo of repos) {
    const dotGit = path.join(repo, '.git');
    let gitDir = dotGit;
    let linked = false;
    try {
      if (!statSync(dotGit).isDirectory()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (!m) continue;
        gitDir = path.resolve(repo, m[1]!);
        linked = true;
      }
    } catch {
      continue;
    }
    const parent = path.dirname(gitDir);
    // Only a `.git` file points into `<common>/worktrees/<name>`: a repository that merely sits in a folder named
    // worktrees is a main repository (taking it for a worktree would rewrite its git folder and the folder above).
    if (linked && path.basename(parent) === 'worktrees' && existsSync(path.join(path.dirname(parent), 'HEAD'))) {
      out.push({ file: path.join(gitDir, 'commondir'), text: WORKTREE_COMMONDIR });
      out.push(...mainGuards(path.dirname(parent)));
    } else out.push(...mainGuards(gitDir));
  }
  return [...new Map(out.map((g) => [g.file, g])).values()];
}

/** A main git folder: no commondir of its own nor in its submodules' folders; its worktrees' point back to it. */
function mainGuards(common: string): CommondirGuard[] {
  const out: CommondirGuard[] = [{ file: path.join(common, 'commondir') }];
  for (const name of entries(path.join(common, 'worktrees'))) out.push({ file: path.join(common, 'worktrees', name, 'commondir'), text: WORKTREE_COMMONDIR });
  const modules = (dir: string, depth: number): void => {
    if (depth > 8) return;
    for (const name of entries(dir)) {
      const d = path.join(dir, name);
      if (existsSync(path.join(d, 'HEAD'))) {
        out.push({ file: path.join(d, 'commondir') });
        modules(path.join(d, 'modules'), depth + 1);
      } else modules(d, depth + 1);
    }
  };
  modules(path.join(common, 'modules'), 0);
  return out;
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Puts the guarded files back as they belong (what the outer shell does, for when it could not). */
export function repairCommondirs(guards: readonly CommondirGuard[]): void {
  for (const g of guards) {
    try {
      if (g.text === undefined) {
        if (lstatSync(g.file, { throwIfNoEntry: false })) rmSync(g.file, { recursive: true, force: true });
      } else if (!existsSync(path.dirname(g.file))) continue;
      else if (!existsSync(g.file) || readFileSync(g.file, 'utf8').trim() !== g.text) {
        rmSync(g.file, { recursive: true, force: true });
        // wx: never through a link a running command swapped in since the rm (it would write where that points).
        writeFileSync(g.file, g.text + '\n', { flag: 'wx' });
      }
    } catch {
      // gone meanwhile, or not ours to write: git then fails to read it rather than follow it
    }
  }
}

/** The same as a POSIX shell script (the launch's outer shell runs it after bwrap, outside the sandbox). */
export function repairScript(guards: readonly CommondirGuard[]): string {
  // set -C (noclobber): `>` never writes through a link a running command swapped in after the rm.
  return 'set -C; ' + guards
    .map((g) => (g.text === undefined ? `rm -rf -- ${q(g.file)}` : `[ -d ${q(path.dirname(g.file))} ] && { [ "$(cat -- ${q(g.file)} 2>/dev/null)" = ${q(g.text)} ] || { rm -rf -- ${q(g.file)}; printf '%s\\n' ${q(g.text)} > ${q(g.file)}; }; }`))
    .join('; ');
}
