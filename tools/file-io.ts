// Shared file helpers for the file tools: path resolution and display, the read-before-write rule,
// atomic writes that keep the file mode, numbered lines and unified diffs. Imports no loop, session or UI.
import { chmod, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import { createTwoFilesPatch, structuredPatch } from 'diff';
import { resolveToolPath } from '../src/paths.ts';
import { atomicTempFor } from '../src/process-temp.ts';
import type { ToolState } from '../src/tool.ts';
import { cutLine } from '../src/truncate.ts';

/** Resolves a path the model gave (absolute, relative to cwd, or starting with ~/): the path permissions judged. */
export const resolvePath = (cwd: string, p: string): string => resolveToolPath(cwd, p);

/** A path for people and the model: relative to cwd when inside it, absolute otherwise. */
export function displayPath(p: string, cwd = process.cwd()): string {
  const abs = resolvePath(cwd, p);
  const rel = relative(cwd, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel;
}

/** Title helper: `Read src/a.ts` (tool titles have no context, so relative to the process cwd). */
export const titlePath = (p: string | undefined): string => (p ? displayPath(p) : '.');

export async function statOrUndefined(abs: string) {
  try {
    return await stat(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/**
 * The read-before-write rule: an existing file may be changed only after it was read in this session and only
 * if it has not changed on disk since. Returns an error message for the model, or undefined when allowed.
 */
export function checkFresh(state: ToolState, abs: string, mtimeMs: number, shown: string): string | undefined {
  const seen = state.readFiles.get(abs);
  if (seen === undefined) return `${shown} exists but you have not read it in this session. Read it first, then retry.`;
  if (seen !== mtimeMs) return `${shown} changed on disk since you last read it. Read it again, then redo your change on the current content.`;
  return undefined;
}

/** Writes through a temp file and renames it over the target; keeps the mode. Returns the new mtime. */
export async function writeAtomic(abs: string, content: string | Buffer): Promise<number> {
  let target = abs;
  let mode: number | undefined;
  const existing = await statOrUndefined(abs);
  if (existing) {
    target = await realpath(abs); // write through symlinks instead of replacing them
    mode = existing.mode & 0o7777;
  } else {
    await mkdir(dirname(abs), { recursive: true });
  }
  try {
    await writeVia(atomicTempFor(target), target, content, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await writeVia(atomicTempFor(target, true), target, content, mode);
  }
  return (await stat(target)).mtimeMs;
}

/** The temp file lives where a crash leaves nothing in the user's folder (src/process-temp.ts). */
async function writeVia(temp: { tmp: string; done: () => void }, target: string, content: string | Buffer, mode: number | undefined): Promise<void> {
  try {
    await writeFile(temp.tmp, content, { flag: 'wx' });
    if (mode !== undefined) await chmod(temp.tmp, mode);
    await rename(temp.tmp, target);
  } catch (err) {
    await rm(temp.tmp, { force: true });
    throw err;
  } finally {
    temp.done();
  }
}

/** `cat -n` style: right-aligned line number, a tab, the line (cut when very long). */
export function numberLine(n: number, line: string): string {
  return cutLine(`${String(n).padStart(6)}\t${line}`);
}

export function unifiedDiff(shown: string, before: string, after: string): string {
  return createTwoFilesPatch(shown, shown, before, after, undefined, undefined, { context: 3 });
}

export const countLines = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Line ranges (1-based, inclusive, in `after`) that differ from `before`. */
export function changedRanges(before: string, after: string): Array<[number, number]> {
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context: 0 });
  return patch.hunks.map((h) => {
    const start = Math.max(1, h.newLines === 0 ? h.newStart + 1 : h.newStart);
    return [start, Math.max(start, h.newStart + h.newLines - 1)];
  });
}

/** A few numbered lines of `after` around each changed range, so the model can check its edit. */
export function changeSnippets(after: string, ranges: Array<[number, number]>, context = 2, maxRanges = 3): string {
  const lines = after.split('\n');
  if (after.endsWith('\n')) lines.pop();
  const blocks: string[] = [];
  let lastEnd = 0;
  for (const [a, b] of ranges.slice(0, maxRanges)) {
    const from = Math.max(1, a - context, lastEnd + 1);
    const to = Math.min(lines.length, b + context, from + 30);
    if (from > to) continue;
    const block: string[] = [];
    for (let n = from; n <= to; n++) block.push(numberLine(n, lines[n - 1]!));
    if (blocks.length && from > lastEnd + 1) blocks.push('     …');
    blocks.push(block.join('\n'));
    lastEnd = to;
  }
  if (ranges.length > maxRanges) blocks.push(`     … and ${ranges.length - maxRanges} more changed places`);
  return blocks.join('\n');
}

/** `line 4`, `lines 4–6`, `lines 3, 10–12`. */
export const formatRanges = (ranges: Array<[number, number]>): string =>
  (ranges.length === 1 && ranges[0]![0] === ranges[0]![1] ? 'line ' : 'lines ') +
  ranges
    .slice(0, 6)
    .map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`))
    .join(', ') + (ranges.length > 6 ? ', …' : '');
