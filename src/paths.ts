// The one way a path the model wrote becomes the absolute path a tool acts on and the permission check judges
// (`~`, `~/`, relative, `..`), plus its real path through symlinks. Imports only node built-ins.
import { readlinkSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The absolute path a tool acts on: `~` and `~/…` are the home folder, anything else resolves against cwd. */
export function resolveToolPath(cwd: string, p: string, home: string = homedir()): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  return path.resolve(cwd, p);
}

/**
 * Where a path really lands: symlinks resolved, also a dangling one (a link to a file that does not exist yet is
 * where a write through it goes), and a path that does not exist yet under its real parent.
 */
export function realPathOf(abs: string, hops = 0): string {
  try {
    return realpathSync.native(abs);
  } catch {
    // Missing, or a link whose target is missing.
  }
  const parent = path.dirname(abs);
  if (parent === abs) return abs;
  const realParent = realPathOf(parent, hops);
  if (hops < 40) {
    try {
      return realPathOf(path.resolve(realParent, readlinkSync(path.join(realParent, path.basename(abs)))), hops + 1);
    } catch {
      // Not a link.
    }
  }
  return path.join(realParent, path.basename(abs));
}

/** Whether `rel` (from path.relative) leaves its base. */
export const leavesBase = (rel: string): boolean => rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);

/** Whether abs is dir itself or inside it. */
export const isWithin = (dir: string, abs: string): boolean => !leavesBase(path.relative(dir, abs));
