// Shared file helpers for the file tools: path resolution and display, the read-before-write rule,
// atomic writes that keep the file mode, numbered lines and unified diffs. Imports no loop, session or UI.
import { chmod, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative } from 'node:path';
import { formatPatch, structuredPatch, type StructuredPatch } from 'diff';
import { diskPath, resolveToolPath } from '../src/paths.ts';
import { atomicTempFor } from '../src/process-temp.ts';
import type { ToolContext, ToolState } from '../src/tool.ts';
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
    return await stat(diskPath(abs));
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

/** The editor's files when the session has them and the name is plain text (a name that is not UTF-8 stays on disk). */
export const editorFiles = (ctx: Pick<ToolContext, 'textFiles'>, abs: string) => (ctx.textFiles && typeof diskPath(abs) === 'string' ? ctx.textFiles : undefined);

/** The text an edit starts from: the editor's buffer when there is one, else what the disk holds (`disk`). */
export async function currentText(ctx: Pick<ToolContext, 'textFiles'>, abs: string, disk: string): Promise<string> {
  return (await editorFiles(ctx, abs)?.read(abs)) ?? disk;
}

/**
 * Saves a file's new content: through the editor when it holds the files (its buffer, which it saves), else
 * atomically to disk; either way the file counts as read at its new state (the mtime the disk then shows).
 */
export async function saveFile(ctx: Pick<ToolContext, 'textFiles' | 'state'>, abs: string, text: string, bytes: string | Buffer): Promise<void> {
  const editor = editorFiles(ctx, abs);
  if (!editor) return void ctx.state.readFiles.set(abs, await writeAtomic(abs, bytes));
  await editor.write(abs, text);
  const st = await statOrUndefined(abs);
  if (st) ctx.state.readFiles.set(abs, st.mtimeMs);
}

/** Writes through a temp file and renames it over the target; keeps the mode. Returns the new mtime. */
export async function writeAtomic(abs: string, content: string | Buffer): Promise<number> {
  let target = abs;
  let mode: number | undefined;
  const onDisk = diskPath(abs); // bytes, for a name that is not UTF-8 (written as \xNN)
  const existing = await statOrUndefined(abs);
  if (existing) {
    if (typeof onDisk === 'string') target = await realpath(abs); // write through symlinks instead of replacing them
    mode = existing.mode & 0o7777;
  } else {
    await mkdir(dirname(abs), { recursive: true });
  }
  const renameTo = typeof onDisk === 'string' ? target : onDisk;
  try {
    await writeVia(atomicTempFor(target), renameTo, content, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await writeVia(atomicTempFor(target, true), renameTo, content, mode);
  }
  return (await stat(renameTo)).mtimeMs;
}

/** The temp file lives where a crash leaves nothing in the user's folder (src/process-temp.ts). */
async function writeVia(temp: { tmp: string; done: () => void }, target: string | Buffer, content: string | Buffer, mode: number | undefined): Promise<void> {
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

/**
 * Time the line diff of one change may take (and a size budget below). The diff (Myers) is quadratic on a rewrite:
 * 20,000 changed lines took minutes and blocked the event loop (and Ctrl+C) all along; past either budget the
 * display says how many lines changed instead.
 */
const DIFF_BUDGET_MS = 40;
/** A diff longer than this is not shown either (nobody reads it, and it would fill the transcript). */
const MAX_DIFF_LINES = 5000;

/** The unified diff people see for a change, or undefined when it is too costly or too long to show. */
export function unifiedDiff(shown: string, before: string, after: string): string | undefined {
  const patch = boundedPatch(before, after, 3);
  if (!patch) return undefined;
  const diff = formatPatch({ ...patch, oldFileName: shown, newFileName: shown });
  return countLines(diff) > MAX_DIFF_LINES ? undefined : diff;
}

/**
 * The line diff of the part that differs (plus `context` lines around it), numbered as in the whole files; the
 * common head and tail are cut first, so a small edit to a big file costs little. Undefined when over budget.
 */
function boundedPatch(before: string, after: string, context: number): StructuredPatch | undefined {
  const a = linesOf(before);
  const b = linesOf(after);
  const { start, removed, added } = middleRange(a, b);
  if (removed + added > 2 * MAX_DIFF_LINES) return undefined; // size budget: such a diff is not shown anyway
  const from = Math.max(0, start - context);
  const part = (lines: string[], end: number) => lines.slice(from, Math.min(lines.length, end)).join('');
  const patch = structuredPatch('a', 'b', part(a, start + removed + context), part(b, start + added + context), undefined, undefined, { context, timeout: DIFF_BUDGET_MS });
  if (!patch) return undefined;
  return { ...patch, hunks: patch.hunks.map((h) => ({ ...h, oldStart: h.oldStart + from, newStart: h.newStart + from })) };
}

/** Lines with their newlines (the last one may have none), so that joining a slice gives back the exact text. */
const linesOf = (text: string): string[] => (text === '' ? [] : text.split(/(?<=\n)/));

/** Lines that differ, found in linear time: everything between the common first and last lines. */
function middleRange(a: string[], b: string[]): { start: number; removed: number; added: number } {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { start, removed: a.length - start - end, added: b.length - start - end };
}

/** What a display says when there is no diff to show: `1,204 lines changed`. */
export function changedLinesSummary(before: string, after: string): string {
  const { removed, added } = middleRange(linesOf(before), linesOf(after));
  const n = Math.max(removed, added);
  return `${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'} changed`;
}

export const countLines = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Line ranges (1-based, inclusive, in `after`) that differ from `before`. */
export function changedRanges(before: string, after: string): Array<[number, number]> {
  const patch = boundedPatch(before, after, 0);
  if (!patch) {
    // Over budget: one range from the first to the last line that differs.
    const { start, added } = middleRange(linesOf(before), linesOf(after));
    return [[start + 1, Math.max(start + 1, start + added)]];
  }
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
