// The one way a path the model wrote becomes the absolute path a tool acts on and the permission check judges
// (`~`, `~/`, relative, `..`), plus its real path through symlinks. Imports only node built-ins.
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

/** The absolute path a tool acts on: `~` and `~/…` are the home folder, anything else resolves against cwd. */
export function resolveToolPath(cwd: string, p: string, home: string = homedir()): string {
  if (p === '~' || p.startsWith('~/')) return path.join(home, p.slice(1));
  return path.resolve(cwd, p);
}

/** The real path of the deepest existing ancestor joined with the rest, so a symlink cannot hide where a path lands. */
export function realPathOf(abs: string): string {
  const rest: string[] = [];
  for (let cur = abs; ; cur = path.dirname(cur)) {
    try {
      return path.join(realpathSync.native(cur), ...rest.reverse());
    } catch {
      if (path.dirname(cur) === cur) return abs;
      rest.push(path.basename(cur));
    }
  }
}

/** Whether `rel` (from path.relative) leaves its base. */
export const leavesBase = (rel: string): boolean => rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);

/** Whether abs is dir itself or inside it. */
export const isWithin = (dir: string, abs: string): boolean => !leavesBase(path.relative(dir, abs));
