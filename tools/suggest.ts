// "Did you mean …?" for paths that do not exist: similar names in the same folder, and files with the same
// name elsewhere below cwd, leaving out what a Read deny rule covers. Imports no loop, session or UI.
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { DenyFilter } from './deny.ts';
import { displayPath } from './file-io.ts';
import { IgnoreFilter, walk } from './walk.ts';

const SKIP = new Set(['node_modules']);

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

const stem = (name: string): string => name.slice(0, name.length - extname(name).length).toLowerCase();

function similar(want: string, have: string): boolean {
  const w = want.toLowerCase();
  const h = have.toLowerCase();
  if (w === h || stem(want) === stem(have)) return true;
  if (w.length >= 4 && (h.includes(w) || w.includes(h))) return true;
  return editDistance(w, h) <= Math.max(1, Math.floor(w.length / 5));
}

async function siblings(abs: string): Promise<string[]> {
  try {
    const names = await readdir(dirname(abs));
    return names.filter((n) => similar(basename(abs), n)).map((n) => join(dirname(abs), n));
  } catch {
    return [];
  }
}

/** Up to `max` existing paths close to `abs`, shown relative to cwd; none that `readDenied` covers. */
export async function suggestPaths(abs: string, cwd: string, max = 5, readDenied?: (absolutePath: string) => boolean): Promise<string[]> {
  const found = new Set(await siblings(abs));
  const name = basename(abs).toLowerCase();
  const filter = await IgnoreFilter.create(cwd, cwd);
  for await (const e of walk(cwd, filter, { skipDirs: SKIP, maxEntries: 20_000 })) {
    if (found.size >= max * 2) break;
    if (basename(e.abs).toLowerCase() === name && e.abs !== abs) found.add(e.abs);
  }
  const deny = new DenyFilter(readDenied);
  return [...found]
    .filter((p) => !deny.covers(p, true))
    .slice(0, max)
    .map((p) => displayPath(p, cwd));
}

/** The sentence a tool adds to a "not found" error (never naming a path a Read deny rule covers). */
export async function didYouMean(abs: string, cwd: string, readDenied?: (absolutePath: string) => boolean): Promise<string> {
  const hits = await suggestPaths(abs, cwd, 5, readDenied);
  return hits.length ? ` Did you mean: ${hits.join(', ')}?` : ' Use Glob or LS to find the right path.';
}
