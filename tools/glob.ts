// Glob: files matching a glob pattern, newest first, .gitignore honoured. Imports no loop, session or UI.
import { lstat, readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { escapePath, glob } from 'tinyglobby';
import { z } from 'zod';
import { diskPath, readDirNames } from '../src/paths.ts';
import { defineTool } from '../src/tool.ts';
import { renderTemplate } from '../src/template.ts';
import { DenyFilter, withNote } from './deny.ts';
import { displayPath, resolvePath, statOrUndefined, titlePath } from './file-io.ts';
import { notRegular, specialKind } from './regular-file.ts';
import { didYouMean } from './suggest.ts';
import { IgnoreFilter } from './walk.ts';
import template from './glob.md';

export const GLOB_MAX_RESULTS = 100;

const schema = z.object({
  pattern: z.string().describe('Glob pattern, e.g. "**/*.ts" or "src/**/test_*.py"'),
  path: z.string().optional().describe('Folder to search in (default: working directory)'),
});

/**
 * Folders tinyglobby should not even enter: .git, node_modules anywhere, and ignored top-level folders
 * (target/, dist/, .venv/ …), unless the pattern names them. Deeper ignored files are filtered afterwards.
 */
async function skippedFolders(root: string, filter: IgnoreFilter, pattern: string): Promise<string[]> {
  const skip = ['**/.git/**'];
  if (!pattern.includes('node_modules')) skip.push('**/node_modules/**');
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.isDirectory() && !pattern.includes(e.name) && (await filter.ignoredEntry(join(root, e.name), true))) skip.push(`${escapePath(e.name)}/**`);
  }
  return skip;
}

/**
 * The folder a pattern can reach, which the permission check judges: the search folder joined with the pattern's
 * fixed leading segments (`../*` reaches the parent, `/etc/pass*` /etc). A `..` after a wildcard, brace or extglob
 * could climb anywhere, so it reaches the root.
 */
export function globReach(base: string, pattern: string): string {
  const parts = pattern.split('/');
  let fixed = 0;
  while (fixed < parts.length - 1 && !/[*?[\]{}()!]/.test(parts[fixed])) fixed++;
  // `..` after a wildcard, a brace or an extglob (`..{,}/*`, `@(..)/*`) could climb anywhere.
  if (parts.slice(fixed).some((p) => p.includes('..'))) return '/';
  const lead = parts.slice(0, fixed).join('/');
  if (pattern.startsWith('/')) return lead || '/';
  return lead ? join(base, lead) : base;
}

/**
 * A found path whose file name is not UTF-8 comes back with U+FFFD in it, which names no file: the name as
 * \xNN escapes (paths.ts nameText) instead, found by listing its folder as bytes.
 */
function escapedName(abs: string): string {
  const dir = dirname(abs);
  try {
    const names = readDirNames(dir).filter((e) => Buffer.from(diskPath(join(dir, e.name))).toString('utf8') === abs);
    return names.length === 1 ? join(dir, names[0]!.name) : abs;
  } catch {
    return abs;
  }
}

export const globTool = defineTool({
  name: 'Glob',
  kind: 'search',
  // Read-only: consecutive calls of one message run at the same time (their results keep the model's order).
  parallel: true,
  keep: 'head',
  description: renderTemplate(template, { max: GLOB_MAX_RESULTS }),
  schema,
  title: (a) => `Glob ${a.pattern}${a.path ? ` in ${titlePath(a.path)}` : ''}`,
  target: (a) => globReach(a.path ?? '.', a.pattern),
  async execute(args, ctx) {
    const root = resolvePath(ctx.cwd, args.path ?? '.');
    const st = await statOrUndefined(root);
    if (!st) return { output: `Folder not found: ${displayPath(root, ctx.cwd)}.${await didYouMean(root, ctx.cwd, ctx.readDenied)}`, isError: true };
    const special = specialKind(st);
    if (special) return { output: notRegular(displayPath(root, ctx.cwd), special), isError: true };
    if (!st.isDirectory()) return { output: `${displayPath(root, ctx.cwd)} is a file, not a folder. Pass a folder as path.`, isError: true };
    const filter = await IgnoreFilter.create(root, ctx.cwd);
    const ignore = await skippedFolders(root, filter, args.pattern);
    const found = await glob(args.pattern, { cwd: root, absolute: true, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore, signal: ctx.signal });
    const kept: Array<{ abs: string; mtime: number }> = [];
    const deny = new DenyFilter(ctx.readDenied);
    for (const found1 of found) {
      const abs = found1.includes('\uFFFD') ? escapedName(found1) : found1;
      if (await filter.ignoredPath(abs)) continue;
      const l = await lstat(diskPath(abs)).catch(() => undefined);
      if (!l || deny.hides(abs, l.isSymbolicLink())) continue;
      const s = l.isSymbolicLink() ? await stat(diskPath(abs)).catch(() => undefined) : l;
      if (s) kept.push({ abs, mtime: s.mtimeMs });
    }
    if (!kept.length) return { output: withNote('No files found.', deny), display: { summary: 'No files' } };
    kept.sort((a, b) => b.mtime - a.mtime || (a.abs < b.abs ? -1 : 1));
    const shown = kept.slice(0, GLOB_MAX_RESULTS).map((f) => displayPath(f.abs, ctx.cwd));
    const more = kept.length > shown.length ? `\n\n(Showing the ${shown.length} newest of ${kept.length} files. Use a more specific pattern or path.)` : '';
    return { output: withNote(shown.join('\n') + more, deny), display: { summary: `${kept.length} file${kept.length === 1 ? '' : 's'}` } };
  },
});
