// Grep through ripgrep when `rg` is on PATH (checked once). Same query and output as the built-in search.
// Imports no loop, session or UI.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { loadExeca } from './bash-shells.ts';
import { displayPath } from './file-io.ts';
import type { GrepOutcome, GrepQuery } from './grep-common.ts';

let rgPath: string | null | undefined;

/** The rg executable on PATH, or undefined. */
export function findRipgrep(): string | undefined {
  if (rgPath !== undefined) return rgPath ?? undefined;
  rgPath = null;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of process.platform === 'win32' ? ['rg.exe', 'rg'] : ['rg']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        rgPath = join(dir, name);
        return rgPath;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export function ripgrepArgs(q: GrepQuery): string[] {
  const args = ['--no-config', '--color=never', '--hidden', '--glob', '!.git', '--sort=path', '--no-require-git'];
  if (q.mode === 'files_with_matches') args.push('--files-with-matches');
  else if (q.mode === 'count') args.push('--count', '--with-filename');
  else {
    args.push('--no-heading', '--with-filename', q.lineNumbers ? '--line-number' : '--no-line-number');
    if (q.before) args.push(`--before-context=${q.before}`);
    if (q.after) args.push(`--after-context=${q.after}`);
  }
  if (q.ignoreCase) args.push('--ignore-case');
  if (q.multiline) args.push('--multiline', '--multiline-dotall');
  // rg's --glob whitelists override .gitignore; a file type does not, so name-only globs go in as types.
  q.globs.forEach((g, i) => {
    if (g.startsWith('!') || g.includes('/')) args.push('--glob', g);
    else args.push(`--type-add=glm${i}:${g}`, `--type=glm${i}`);
  });
  args.push('--regexp', q.pattern);
  const shown = displayPath(q.root, q.cwd);
  if (shown !== '.') args.push('--', shown);
  return args;
}

export async function ripgrep(rg: string, q: GrepQuery): Promise<GrepOutcome> {
  const { execa } = await loadExeca();
  const r = await execa(rg, ripgrepArgs(q), { cwd: q.cwd, reject: false, stdin: 'ignore', cancelSignal: q.signal, maxBuffer: 64 * 1024 * 1024 });
  const stdout = String(r.stdout ?? '');
  if (r.exitCode === 1 && !stdout) return { lines: [] };
  if (r.exitCode !== 0 && !stdout) {
    const why = String(r.stderr ?? '').trim() || r.shortMessage;
    return { error: `rg failed: ${why}. If the pattern is a regex with special characters, escape them with a backslash.` };
  }
  return { lines: stdout.replace(/\n$/, '').split('\n') };
}
