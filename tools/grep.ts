// Grep: regex search over file contents, through rg when installed, else the built-in search.
// Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool, type ToolContext } from '../src/tool.ts';
import { cutLine } from '../src/truncate.ts';
import { DenyFilter, withNote } from './deny.ts';
import { displayPath, resolvePath, statOrUndefined, titlePath } from './file-io.ts';
import { builtinGrep } from './grep-builtin.ts';
import { TYPE_GLOBS, typeGlob, type GrepQuery } from './grep-common.ts';
import { findRipgrep, ripgrep } from './grep-rg.ts';
import { notRegular, specialKind } from './regular-file.ts';
import { didYouMean } from './suggest.ts';
import description from './grep.md';

const schema = z.object({
  pattern: z.string().describe('Regular expression to search for'),
  path: z.string().optional().describe('File or folder to search (default: working directory)'),
  glob: z.string().optional().describe('Only files matching this glob, e.g. "*.ts", "src/**/*.{ts,tsx}"'),
  type: z.string().optional().describe('File type: js, ts, py, go, rust, java, md, json, …'),
  output_mode: z.enum(['content', 'files_with_matches', 'count']).optional().describe('content: matching lines; files_with_matches: paths (default); count: matches per file'),
  '-i': z.boolean().optional().describe('Case insensitive'),
  '-n': z.boolean().optional().describe('Line numbers in content mode (default true)'),
  '-A': z.number().int().optional().describe('Lines after each match (content mode)'),
  '-B': z.number().int().optional().describe('Lines before each match (content mode)'),
  '-C': z.number().int().optional().describe('Lines before and after each match (content mode)'),
  head_limit: z.number().int().optional().describe('Return only the first N lines/entries'),
  multiline: z.boolean().optional().describe('Let patterns span lines (. matches newline)'),
});

type Args = z.infer<typeof schema>;

/** Which engine runs a query; tests pass 'builtin' to exercise the TypeScript search. */
export async function runGrep(q: GrepQuery, engine: 'auto' | 'builtin' = 'auto') {
  const rg = engine === 'auto' ? findRipgrep() : undefined;
  return rg ? ripgrep(rg, q) : builtinGrep(q);
}

export async function grepExecute(args: Args, ctx: Pick<ToolContext, 'cwd' | 'signal' | 'readDenied'>, engine: 'auto' | 'builtin' = 'auto') {
  const root = resolvePath(ctx.cwd, args.path ?? '.');
  const st = await statOrUndefined(root);
  if (!st) return { output: `Path not found: ${displayPath(root, ctx.cwd)}.${await didYouMean(root, ctx.cwd, ctx.readDenied)}`, isError: true };
  const special = specialKind(st);
  if (special) return { output: notRegular(displayPath(root, ctx.cwd), special), isError: true };
  const globs = args.glob ? [args.glob] : [];
  if (args.type) {
    const g = typeGlob(args.type);
    if (!g) return { output: `Unknown type "${args.type}". Known types: ${Object.keys(TYPE_GLOBS).join(', ')}. Or use glob, e.g. "*.ext".`, isError: true };
    globs.push(g);
  }
  const context = Math.max(0, args['-C'] ?? 0);
  const q: GrepQuery = {
    pattern: args.pattern,
    root,
    rootIsFile: !st.isDirectory(),
    cwd: ctx.cwd,
    mode: args.output_mode ?? 'files_with_matches',
    ignoreCase: args['-i'] ?? false,
    lineNumbers: args['-n'] ?? true,
    before: Math.max(0, args['-B'] ?? context),
    after: Math.max(0, args['-A'] ?? context),
    multiline: args.multiline ?? false,
    globs,
    signal: ctx.signal,
    deny: new DenyFilter(ctx.readDenied),
  };
  const r = await runGrep(q, engine);
  if (r.error !== undefined) return { output: r.error, isError: true };
  const notRead = 'skipped' in r ? (r.skipped as string[] | undefined) : undefined;
  const skipped = notRead?.length ? `\n\n${skippedNote(notRead)}` : '';
  if (r.lines.length === 0) return { output: withNote(`No matches found.${skipped}`, q.deny), display: { summary: 'No matches' } };
  const limit = args.head_limit && args.head_limit > 0 ? args.head_limit : undefined;
  const shown = limit ? r.lines.slice(0, limit) : r.lines;
  let output = shown.map((l) => cutLine(l)).join('\n');
  if (shown.length < r.lines.length) output += `\n\n(Showing the first ${shown.length} of ${r.lines.length} lines; raise head_limit or narrow the search.)`;
  else if ('capped' in r && r.capped) output += `\n\n(Search stopped after ${r.lines.length} lines; narrow the pattern, path or glob.)`;
  output += skipped;
  const unit = q.mode === 'content' ? 'line' : 'file';
  return { output: withNote(output, q.deny), display: { summary: `${r.lines.length} ${unit}${r.lines.length === 1 ? '' : 's'}` } };
}

/** Files the search could not read, named so that a miss is never silent. */
function skippedNote(skipped: string[]): string {
  const shown = skipped.slice(0, 10).join('; ');
  const more = skipped.length > 10 ? `; and ${skipped.length - 10} more` : '';
  return `(Not searched: ${shown}${more}.)`;
}

export const grepTool = defineTool({
  name: 'Grep',
  kind: 'search',
  // Read-only: consecutive calls of one message run at the same time (their results keep the model's order).
  parallel: true,
  keep: 'head',
  description,
  schema,
  title: (a) => `Grep ${JSON.stringify(a.pattern)}${a.path ? ` in ${titlePath(a.path)}` : ''}${a.glob ? ` (${a.glob})` : ''}`,
  target: (a) => a.path ?? '.',
  execute: (args, ctx) => grepExecute(args, ctx),
});
