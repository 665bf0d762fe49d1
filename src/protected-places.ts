// The places an edit always asks about, whatever the rules (except in bypassPermissions): git state and glm's own
// settings, reached through any path. Imports paths.ts and node built-ins only.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isWithin, realPathOf } from './paths.ts';

/** Folders inside the project whose edits always ask: git state and our settings. */
const PROTECTED_DIRS = ['.git', '.glm'];

/**
 * `.git` or `.glm` when the path, as written or as it really lands, goes through one (any depth: nested repositories
 * and submodules; any case), or the repository's real git folders (a worktree's, the common one).
 */
export function protectedPlace(projectRoot: string, abs: string): string | undefined {
  const real = realPathOf(abs);
  const parts = [...path.relative(projectRoot, abs).split(path.sep), ...path.relative(realPathOf(projectRoot), real).split(path.sep)];
  const hit = parts.find((p) => PROTECTED_DIRS.includes(p.toLowerCase()));
  if (hit) return `${hit.toLowerCase()}/`;
  const gitDir = gitDirsOf(projectRoot).find((dir) => isWithin(dir, real));
  if (gitDir) return `the repository's git folder (${gitDir})`;
  // A folder that holds one (`rm -rf .`, `cp -r x vendor` over a nested repository) reaches it too.
  const holds = [path.join(projectRoot, '.git'), path.join(projectRoot, '.glm'), ...gitDirsOf(projectRoot)].some((dir) => isWithin(real, dir) || isWithin(abs, dir));
  return holds || existsSync(path.join(real, '.git')) ? `a folder that holds .git` : undefined;
}

const gitDirCache = new Map<string, string[]>();

/** The real git folders of the project: `.git`, or where a `.git` file points (worktrees), and their common folder. */
function gitDirsOf(projectRoot: string): string[] {
  const cached = gitDirCache.get(projectRoot);
  if (cached) return cached;
  const dirs: string[] = [];
  const dotGit = path.join(projectRoot, '.git');
  try {
    const text = readFileSync(dotGit, 'utf8');
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    if (m) dirs.push(realPathOf(path.resolve(projectRoot, m[1])));
  } catch {
    dirs.push(realPathOf(dotGit));
  }
  try {
    const common = readFileSync(path.join(dirs[0], 'commondir'), 'utf8').trim();
    if (common) dirs.push(realPathOf(path.resolve(dirs[0], common)));
  } catch {
    // not a worktree
  }
  gitDirCache.set(projectRoot, dirs);
  return dirs;
}
