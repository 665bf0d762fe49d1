// Grep without ripgrep: a TypeScript search that honours .gitignore, skips binary files and prints rg's
// output format, so the model cannot tell the engines apart. Imports no loop, session or UI.
import { relative, sep } from 'node:path';
import { displayPath } from './file-io.ts';
import { hasNul, kindByExtension } from './binary.ts';
import { globFilter, type GrepOutcome, type GrepQuery } from './grep-common.ts';
import { openRegular } from './regular-file.ts';
import { IgnoreFilter, walk } from './walk.ts';

const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Output lines after which the search stops (the loop would cut the rest anyway). */
export const MAX_RESULT_LINES = 20_000;
const CONCURRENCY = 16;

/** The files to search; denied ones are counted (like rg --files would list them) but never yielded. */
async function* candidateFiles(q: GrepQuery): AsyncGenerator<string> {
  if (q.rootIsFile) {
    if (!q.deny.hides(q.root, true)) yield q.root;
    return;
  }
  const accept = globFilter(q.globs);
  const filter = await IgnoreFilter.create(q.root, q.cwd);
  for await (const e of walk(q.root, filter, { signal: q.signal })) {
    if (e.isDir || !accept(relative(q.root, e.abs).split(sep).join('/'))) continue;
    if (!q.deny.hides(e.abs) && kindByExtension(e.abs) === 'text') yield e.abs;
  }
}

/** The text of a regular file, or undefined for large, binary, unreadable or special files (never opened as such). */
async function readText(abs: string): Promise<string | undefined> {
  const fh = await openRegular(abs).catch(() => undefined);
  if (!fh) return undefined;
  try {
    if ((await fh.stat()).size > MAX_FILE_BYTES) return undefined;
    const buf = await fh.readFile();
    if (hasNul(buf.subarray(0, 8192))) return undefined;
    return buf.toString('utf8');
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
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

/** rg's content format: `path:12:text` for matches, `path-11-text` for context, `--` between groups. */
function contentLines(shown: string, lines: string[], hits: number[], q: GrepQuery, out: string[], sepNeeded: { v: boolean }) {
  const context = q.before > 0 || q.after > 0;
  const isHit = new Set(hits);
  let last = -2;
  for (const h of hits) {
    const from = Math.max(0, h - q.before, last + 1);
    const to = Math.min(lines.length - 1, h + q.after);
    if (context && sepNeeded.v && from > last + 1) out.push('--');
    for (let i = from; i <= to; i++) {
      const mark = isHit.has(i) ? ':' : '-';
      out.push(q.lineNumbers ? `${shown}${mark}${i + 1}${mark}${lines[i]}` : `${shown}${mark}${lines[i]}`);
    }
    last = Math.max(last, to);
    sepNeeded.v = true;
  }
}

export async function builtinGrep(q: GrepQuery): Promise<GrepOutcome & { capped?: boolean }> {
  let re: RegExp;
  try {
    re = new RegExp(q.pattern, (q.ignoreCase ? 'i' : '') + (q.multiline ? 'gms' : ''));
  } catch (err) {
    return { error: `Invalid regular expression: ${(err as Error).message}. Escape special characters such as ( ) [ ] { } . * + ? with a backslash to match them literally.` };
  }
  const out: string[] = [];
  const sepNeeded = { v: false };
  const search = async (abs: string) => {
    const text = await readText(abs);
    if (text === undefined) return undefined;
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return { abs, lines, hits: matchingLines(lines, text, re, q.multiline) };
  };
  let batch: string[] = [];
  const flush = async () => {
    for (const r of await Promise.all(batch.map(search))) {
      if (!r || r.hits.length === 0) continue;
      const shown = displayPath(r.abs, q.cwd);
      if (q.mode === 'files_with_matches') out.push(shown);
      else if (q.mode === 'count') out.push(`${shown}:${r.hits.length}`);
      else contentLines(shown, r.lines, r.hits, q, out, sepNeeded);
    }
    batch = [];
  };
  for await (const abs of candidateFiles(q)) {
    batch.push(abs);
    if (batch.length >= CONCURRENCY) await flush();
    if (out.length >= MAX_RESULT_LINES) return { lines: out, capped: true };
  }
  await flush();
  return { lines: out };
}
