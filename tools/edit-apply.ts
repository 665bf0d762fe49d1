// Runs Edit and MultiEdit: read-first check, every edit applied in memory (all or nothing), atomic write,
// and a short result with numbered lines around the change. Imports no loop, session or UI.
import type { Preview, ToolContext, ToolResult } from '../src/tool.ts';
import { applyMatches, closestLines, findMatches, lineAt } from './edit-match.ts';
import {
  changedLinesSummary,
  changedRanges,
  changeSnippets,
  checkFresh,
  countLines,
  currentText,
  displayPath,
  formatRanges,
  resolvePath,
  saveFile,
  statOrUndefined,
  unifiedDiff,
} from './file-io.ts';
import { NotRegularFileError, notRegular, readRegular, specialKind } from './regular-file.ts';
import { didYouMean } from './suggest.ts';
import { decodeText, encodeText, unencodableMessage, type TextEncoding } from './text-encoding.ts';

export interface EditSpec {
  old_string: string;
  new_string: string;
  replace_all?: boolean;
}

type Outcome = { ok: true; content: string; count: number; note?: string } | { ok: false; error: string };

/** Applies one edit to the content in memory. Errors are written for the model. */
export function applyEdit(content: string, edit: EditSpec, shown: string): Outcome {
  if (edit.old_string === edit.new_string) {
    return { ok: false, error: 'old_string and new_string are identical, so nothing would change. Put the new text in new_string.' };
  }
  if (edit.old_string === '') {
    if (content.trim() === '') return { ok: true, content: edit.new_string, count: 1 };
    return { ok: false, error: `old_string is empty but ${shown} already has content. Put the exact text to replace in old_string, or use Write to replace the whole file.` };
  }
  const { matches, note } = findMatches(content, edit.old_string, edit.new_string);
  if (matches.length === 0) {
    const hint = closestLines(content, edit.old_string) ?? 'No similar lines were found; Read the file to see its current content.';
    return { ok: false, error: `old_string was not found in ${shown}.\n${hint}\nCopy the exact text from the file (without line-number prefixes) and retry.` };
  }
  if (matches.length > 1 && !edit.replace_all) {
    const at = matches.slice(0, 10).map((m) => lineAt(content, m.start)).join(', ');
    return {
      ok: false,
      error: `old_string matches ${matches.length} places in ${shown} (lines ${at}${matches.length > 10 ? ', …' : ''}). Add surrounding lines to old_string so it matches exactly one place, or set replace_all to true to change every one.`,
    };
  }
  const next = applyMatches(content, matches);
  if (next === content) return { ok: false, error: `After matching, the edit would not change ${shown}. Check old_string and new_string.` };
  return { ok: true, content: next, count: matches.length, note };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

type Planned =
  | { ok: true; abs: string; shown: string; before: string; after: string; bytes: Buffer; creating: boolean; replacements: number; notes: string[] }
  | { ok: false; result: ToolResult };

/** Applies every edit in memory (all or nothing) without writing: shared by execute and the approval preview. */
async function planEdits(filePath: string, edits: EditSpec[], ctx: Pick<ToolContext, 'cwd' | 'state' | 'readDenied' | 'textFiles'>, label: (i: number) => string): Promise<Planned> {
  const abs = resolvePath(ctx.cwd, filePath);
  const shown = displayPath(abs, ctx.cwd);
  const fail = (output: string): Planned => ({ ok: false, result: { output, isError: true } });
  const st = await statOrUndefined(abs);
  let before = '';
  let encoding: TextEncoding = 'utf8';
  let creating = false;
  if (!st) {
    if (edits[0]?.old_string !== '') return fail(`File not found: ${shown}.${await didYouMean(abs, ctx.cwd, ctx.readDenied)}`);
    creating = true;
  } else {
    if (st.isDirectory()) return fail(`${shown} is a directory; Edit works on files.`);
    const special = specialKind(st);
    if (special) return fail(notRegular(shown, special, 'edit'));
    const stale = checkFresh(ctx.state, abs, st.mtimeMs, shown);
    if (stale) return fail(stale);
    try {
      ({ text: before, encoding } = decodeText(await readRegular(abs)));
      before = await currentText(ctx, abs, before);
    } catch (err) {
      if (err instanceof NotRegularFileError) return fail(notRegular(shown, err.kind, 'edit'));
      throw err;
    }
  }

  let after = before;
  let replacements = 0;
  const notes: string[] = [];
  for (const [i, edit] of edits.entries()) {
    const r = applyEdit(after, edit, shown);
    if (!r.ok) {
      const nothing = edits.length > 1 ? ' No edits were applied.' : '';
      return fail(`${label(i)}${r.error}${nothing}`);
    }
    after = r.content;
    replacements += r.count;
    if (r.note) notes.push(`${label(i)}${r.note}`);
  }
  // Written back in the file's own encoding; a Latin-1 file cannot take characters outside it.
  const encoded = encodeText(after, encoding);
  if ('unencodable' in encoded) return fail(unencodableMessage(shown, encoded.unencodable));
  return { ok: true, abs, shown, before, after, bytes: encoded.bytes, creating, replacements, notes };
}

/** The diff an approval prompt shows, or the error the edit would fail with (the same one execute gives). */
export async function previewEdits(filePath: string, edits: EditSpec[], ctx: Pick<ToolContext, 'cwd' | 'state' | 'textFiles'>, label: (i: number) => string): Promise<Preview> {
  const plan = await planEdits(filePath, edits, ctx, label);
  if (!plan.ok) return { error: plan.result.output };
  return { diff: unifiedDiff(plan.shown, plan.before, plan.after) ?? changedLinesSummary(plan.before, plan.after) };
}

/** Shared body of Edit and MultiEdit. `label(i)` names an edit in errors ("" for a single Edit). */
export async function runEdits(filePath: string, edits: EditSpec[], ctx: ToolContext, label: (i: number) => string): Promise<ToolResult> {
  const plan = await planEdits(filePath, edits, ctx, label);
  if (!plan.ok) return plan.result;
  const { abs, shown, before, after, bytes, creating, replacements, notes } = plan;
  await ctx.beforeWrite?.(abs);
  await saveFile(ctx, abs, after, bytes);
  const diff = unifiedDiff(shown, before, after);
  // No diff (too costly or too long to show): the summary says how many lines changed instead.
  const extra = diff === undefined ? ` · ${changedLinesSummary(before, after)}` : '';
  // The model reads the path in the output; the tool line's title already shows it, so its result line does not.
  if (creating) {
    const size = plural(countLines(after), 'line');
    return { output: `Created ${shown} (${size}).`, display: { summary: `new file, ${size}`, diff } };
  }
  const ranges = changedRanges(before, after);
  const what = edits.length > 1 ? `${plural(edits.length, 'edit')}, ${plural(replacements, 'replacement')}` : plural(replacements, 'replacement');
  const where = formatRanges(ranges);
  const note = notes.length ? `\nNote: ${notes.join('; ')}. Verify the result below.` : '';
  return { output: `Edited ${shown}: ${what} (${where}).${note}\n\n${changeSnippets(after, ranges)}`, display: { summary: `${what} (${where})${extra}`, diff } };
}
