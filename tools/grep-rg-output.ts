// Reads what rg prints with --null (a NUL after every path), so a path holding ':' or '-' cannot be mistaken for
// the line number or text after it. Imports no loop, session or UI.
import type { GrepMode } from './grep-common.ts';

export type RgRecord =
  | { kind: 'file'; path: string }
  | { kind: 'count'; path: string; count: string }
  | { kind: 'line'; path: string; line: string; mark: ':' | '-'; text: string }
  | { kind: 'separator' };

/** The records in rg's stdout for a search in `mode` (content mode with --line-number). */
export function rgRecords(stdout: string, mode: GrepMode): RgRecord[] {
  if (mode === 'files_with_matches') return stdout.split('\0').flatMap((path) => (path ? [{ kind: 'file' as const, path }] : []));
  const out: RgRecord[] = [];
  for (let at = 0; at < stdout.length; ) {
    const nul = stdout.indexOf('\0', at);
    const eol = stdout.indexOf('\n', at);
    if (nul === -1 || (eol !== -1 && eol < nul)) {
      // A line without a path: rg's `--` between groups of context lines.
      if (stdout.slice(at, eol === -1 ? undefined : eol) === '--') out.push({ kind: 'separator' });
      if (eol === -1) break;
      at = eol + 1;
      continue;
    }
    const end = stdout.indexOf('\n', nul);
    const rest = stdout.slice(nul + 1, end === -1 ? undefined : end);
    const path = stdout.slice(at, nul);
    at = end === -1 ? stdout.length : end + 1;
    if (mode === 'count') {
      out.push({ kind: 'count', path, count: rest });
      continue;
    }
    const m = /^(\d+)([:-])/.exec(rest);
    if (m) out.push({ kind: 'line', path, line: m[1]!, mark: m[2] as ':' | '-', text: rest.slice(m[0].length) });
  }
  return out;
}
