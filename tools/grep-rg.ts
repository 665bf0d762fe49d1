// Grep through ripgrep when `rg` is on PATH (checked once). Same query and output as the built-in search.
// rg runs in the search folder and prints NUL-terminated paths, so every result is judged by its path: files a
// Read deny rule covers are listed first (rg --files), excluded from the search and dropped from anything
// printed anyway. Imports no loop, session or UI.
import { accessSync, constants } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { loadExeca } from './bash-shells.ts';
import { displayPath } from './file-io.ts';
import type { GrepOutcome, GrepQuery } from './grep-common.ts';
import { rgRecords, type RgRecord } from './grep-rg-output.ts';

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

/** Past this many denied files rg is not told to skip each one; its output is still filtered. */
const MAX_EXCLUDES = 1000;

/** The folder rg runs in: paths it prints and globs with a slash are relative to it (as in the built-in search). */
const baseOf = (q: GrepQuery): string => (q.rootIsFile ? dirname(q.root) : q.root);

/** Which files rg looks at: .gitignore, hidden files, .git, globs and types. */
function fileArgs(q: GrepQuery): string[] {
  const args = ['--no-config', '--color=never', '--hidden', '--glob', '!.git', '--sort=path', '--no-require-git', '--null'];
  // rg's --glob whitelists override .gitignore; a file type does not, so name-only globs go in as types.
  q.globs.forEach((g, i) => {
    if (g.startsWith('!') || g.includes('/')) args.push('--glob', g);
    else args.push(`--type-add=glm${i}:${g}`, `--type=glm${i}`);
  });
  return args;
}

/** An rg glob matching exactly this path (relative to where rg runs); the last matching glob wins. */
const excludeGlob = (rel: string): string => `!/${rel.replace(/[\\*?[\]{}!,# ]/g, '\\$&')}`;

/** `excluded`: paths relative to the base folder that rg must not open. */
export function ripgrepArgs(q: GrepQuery, excluded: string[] = []): string[] {
  const args = fileArgs(q);
  if (q.mode === 'files_with_matches') args.push('--files-with-matches');
  else if (q.mode === 'count') args.push('--count', '--with-filename');
  else {
    // Line numbers always, so match (:) and context (-) lines stay apart; dropped again when not wanted.
    args.push('--no-heading', '--with-filename', '--line-number');
    if (q.before) args.push(`--before-context=${q.before}`);
    if (q.after) args.push(`--after-context=${q.after}`);
  }
  if (q.ignoreCase) args.push('--ignore-case');
  if (q.multiline) args.push('--multiline', '--multiline-dotall');
  for (const rel of excluded) args.push('--glob', excludeGlob(rel));
  args.push('--regexp', q.pattern);
  if (q.rootIsFile) args.push('--', basename(q.root));
  return args;
}

async function run(rg: string, q: GrepQuery, args: string[]) {
  const { execa } = await loadExeca();
  return execa(rg, args, { cwd: baseOf(q), reject: false, stdin: 'ignore', cancelSignal: q.signal, maxBuffer: 64 * 1024 * 1024 });
}

/** The denied files rg would search, relative to the base folder; each one is counted by q.deny. */
async function deniedFiles(rg: string, q: GrepQuery): Promise<string[]> {
  if (!q.deny.active) return [];
  if (q.rootIsFile) return q.deny.hides(q.root, true) ? [basename(q.root)] : [];
  const r = await run(rg, q, [...fileArgs(q), '--files']);
  return String(r.stdout ?? '')
    .split('\0')
    .filter((rel) => rel !== '' && q.deny.hides(resolve(q.root, rel)));
}

/** rg's usual lines (`path:12:text`, `path-11-text`, `--`) with paths shown relative to cwd and denied files left out. */
function render(records: RgRecord[], q: GrepQuery): string[] {
  const base = baseOf(q);
  const lines: string[] = [];
  for (const r of records) {
    if (r.kind === 'separator') {
      if (lines.length && lines.at(-1) !== '--') lines.push('--');
      continue;
    }
    const abs = resolve(base, r.path);
    if (q.deny.covers(abs)) continue;
    const shown = displayPath(abs, q.cwd);
    if (r.kind === 'file') lines.push(shown);
    else if (r.kind === 'count') lines.push(`${shown}:${r.count}`);
    else lines.push(q.lineNumbers ? `${shown}${r.mark}${r.line}${r.mark}${r.text}` : `${shown}${r.mark}${r.text}`);
  }
  if (lines.at(-1) === '--') lines.pop();
  return lines;
}

export async function ripgrep(rg: string, q: GrepQuery): Promise<GrepOutcome> {
  const denied = await deniedFiles(rg, q);
  if (q.rootIsFile && denied.length) return { lines: [] };
  const r = await run(rg, q, ripgrepArgs(q, denied.length <= MAX_EXCLUDES ? denied : []));
  const stdout = String(r.stdout ?? '');
  // No file left to search (globs, or deny rules, left none out): no matches, as in the built-in search.
  if ((r.exitCode === 1 || /No files were searched/.test(String(r.stderr))) && !stdout) return { lines: [] };
  if (r.exitCode !== 0 && !stdout) {
    const why = String(r.stderr ?? '').trim() || r.shortMessage;
    return { error: `rg failed: ${why}. If the pattern is a regex with special characters, escape them with a backslash.` };
  }
  return { lines: render(rgRecords(stdout, q.mode), q) };
}
