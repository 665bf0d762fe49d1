// Grep without ripgrep: a TypeScript search that honours .gitignore, skips binary files and prints rg's
// output format, so the model cannot tell the engines apart. Files are read synchronously in slices of a few
// milliseconds (a promise per file cost 10× grep -r on 50,000 files), yielding to the event loop between slices;
// files over 20 MB stream line by line; a file that cannot be searched is named, never silently missed.
// Imports no loop, session or UI.
import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { diskPath, readDirNames } from '../src/paths.ts';
import { displayPath } from './file-io.ts';
import { hasNul, kindByExtension } from './binary.ts';
import { globFilter, type GrepOutcome, type GrepQuery } from './grep-common.ts';
import { IgnoreFilter } from './walk.ts';

/** Bigger files are streamed line by line instead of read whole. */
const MAX_WHOLE_BYTES = 20 * 1024 * 1024;
/** Output lines after which the search stops (the loop would cut the rest anyway). */
export const MAX_RESULT_LINES = 20_000;
/** Work between two yields to the event loop (so an abort or a redraw is never held up long). */
const SLICE_MS = 10;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** One file's matches: 0-based hit lines, and the text of those lines and their context. */
interface FileHits {
  hits: number[];
  lineAt: (i: number) => string;
  count: number;
}
type Searched = FileHits | { skip: string } | 'big' | undefined;

/** The files to search, in path order; denied ones are counted (like rg --files would list them) but never yielded. */
function* candidateFiles(q: GrepQuery, filter: IgnoreFilter): Generator<string> {
  if (q.rootIsFile) {
    if (!q.deny.hides(q.root, true)) yield q.root;
    return;
  }
  const accept = globFilter(q.globs);
  function* dir(abs: string): Generator<string> {
    let entries;
    try {
      entries = readDirNames(abs); // names that are not UTF-8 come as \xNN escapes
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(abs, e.name);
      const isDir = e.isDirectory();
      if ((!isDir && !e.isFile()) || (isDir && e.name === '.git') || filter.ignoredEntrySync(path, isDir)) continue;
      if (isDir) yield* dir(path);
      else if (accept(relative(q.root, path).split(sep).join('/')) && !q.deny.hides(path) && kindByExtension(path) === 'text') yield path;
    }
  }
  yield* dir(q.root);
}

/** 0-based indexes of the lines that match. */
function matchingLines(lines: string[], text: string, re: RegExp, multiline: boolean): number[] {
  if (!multiline) return lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  const starts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const hit = new Set<number>();
  for (const m of text.matchAll(re)) {
    const a = lineOf(m.index);
    const b = lineOf(m.index + Math.max(0, m[0].length - 1));
    for (let i = a; i <= b && i < lines.length; i++) hit.add(i);
  }
  return [...hit].sort((x, y) => x - y);
}

/**
 * A regular file read whole (synchronously: no promise per file). `quick` is the pattern over the whole text,
 * which rules out most files before they are split into lines. Binary and special files give undefined.
 */
function searchWhole(abs: string, re: RegExp, quick: RegExp | undefined, multiline: boolean): Searched {
  let fd: number;
  try {
    fd = openSync(diskPath(abs), OPEN_FLAGS);
  } catch (err) {
    return { skip: `could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    if (st.size > MAX_WHOLE_BYTES) return 'big';
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    for (let k = 1; n < buf.length && k > 0; n += k) k = readSync(fd, buf, n, buf.length - n, n);
    const data = buf.subarray(0, n);
    if (hasNul(data.subarray(0, 8192))) return undefined;
    const text = data.toString('utf8');
    if (quick && !quick.test(text)) return { hits: [], lineAt: () => '', count: 0 };
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return { hits: matchingLines(lines, text, re, multiline), lineAt: (i) => lines[i]!, count: lines.length };
  } catch (err) {
    return { skip: `could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    closeSync(fd);
  }
}

/** A big file, line by line, keeping only the lines the output needs (hits and their context). */
async function searchStream(abs: string, re: RegExp, q: GrepQuery): Promise<Searched> {
  if (q.multiline) return { skip: `over ${MAX_WHOLE_BYTES / 1024 / 1024} MB, which a multiline search does not read` };
  const kept = new Map<number, string>();
  const hits: number[] = [];
  const recent: string[] = [];
  let after = 0;
  let n = 0;
  const input = createReadStream(diskPath(abs), { encoding: 'utf8', signal: q.signal });
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      if (n === 0 && line.includes('\0')) return undefined;
      if (re.test(line)) {
        hits.push(n);
        if (q.mode === 'files_with_matches') break;
        if (q.mode === 'content') {
          recent.forEach((l, i) => kept.set(n - recent.length + i, l));
          kept.set(n, line);
          after = q.after;
        }
      } else if (after > 0) {
        kept.set(n, line);
        after--;
      }
      if (q.before > 0) {
        recent.push(line);
        if (recent.length > q.before) recent.shift();
      }
      n++;
      if (kept.size > MAX_RESULT_LINES) break;
    }
  } catch (err) {
    if (q.signal.aborted) return undefined;
    return { skip: `could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    rl.close();
    input.destroy();
  }
  return { hits, lineAt: (i) => kept.get(i) ?? '', count: n };
}

/** rg's content format: `path:12:text` for matches, `path-11-text` for context, `--` between groups. */
function contentLines(shown: string, r: FileHits, q: GrepQuery, out: string[], sepNeeded: { v: boolean }) {
  const context = q.before > 0 || q.after > 0;
  const isHit = new Set(r.hits);
  let last = -2;
  for (const h of r.hits) {
    const from = Math.max(0, h - q.before, last + 1);
    const to = Math.min(r.count - 1, h + q.after);
    if (context && sepNeeded.v && from > last + 1) out.push('--');
    for (let i = from; i <= to; i++) {
      const mark = isHit.has(i) ? ':' : '-';
      out.push(q.lineNumbers ? `${shown}${mark}${i + 1}${mark}${r.lineAt(i)}` : `${shown}${mark}${r.lineAt(i)}`);
    }
    last = Math.max(last, to);
    sepNeeded.v = true;
  }
}

/** Whether the pattern over a whole text can stand in for it line by line: not with lookarounds, which see newlines. */
const quickCheck = (q: GrepQuery): RegExp | undefined => (q.multiline || /\(\?<?[=!]/.test(q.pattern) ? undefined : new RegExp(q.pattern, (q.ignoreCase ? 'i' : '') + 'm'));

export async function builtinGrep(q: GrepQuery): Promise<GrepOutcome & { capped?: boolean; skipped?: string[] }> {
  let re: RegExp;
  try {
    re = new RegExp(q.pattern, (q.ignoreCase ? 'i' : '') + (q.multiline ? 'gms' : ''));
  } catch (err) {
    return { error: `Invalid regular expression: ${(err as Error).message}. Escape special characters such as ( ) [ ] { } . * + ? with a backslash to match them literally.` };
  }
  const quick = quickCheck(q);
  const out: string[] = [];
  const skipped: string[] = [];
  const sepNeeded = { v: false };
  const filter = await IgnoreFilter.create(q.root, q.cwd);
  let slice = performance.now();
  for (const abs of candidateFiles(q, filter)) {
    if (performance.now() - slice > SLICE_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
    if (q.signal.aborted) break;
    let r = searchWhole(abs, re, quick, q.multiline);
    if (r === 'big') r = await searchStream(abs, re, q);
    if (!r || r === 'big') continue;
    const shown = displayPath(abs, q.cwd);
    if ('skip' in r) {
      skipped.push(`${shown} (${r.skip})`);
      continue;
    }
    if (r.hits.length === 0) continue;
    if (q.mode === 'files_with_matches') out.push(shown);
    else if (q.mode === 'count') out.push(`${shown}:${r.hits.length}`);
    else contentLines(shown, r, q, out, sepNeeded);
    if (out.length >= MAX_RESULT_LINES) return { lines: out, capped: true, skipped };
  }
  return { lines: out, skipped };
}
