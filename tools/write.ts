// Write: create or overwrite a whole file atomically; existing files must have been read first.
// Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool, type ToolContext } from '../src/tool.ts';
import { changedLinesSummary, checkFresh, countLines, currentText, displayPath, resolvePath, saveFile, statOrUndefined, titlePath, unifiedDiff } from './file-io.ts';
import { NotRegularFileError, notRegular, readRegular, specialKind } from './regular-file.ts';
import { decodeText, encodeText, encodingName, type TextEncoding } from './text-encoding.ts';
import description from './write.md';

const schema = z.object({
  file_path: z.string().describe('Path of the file to write'),
  content: z.string().describe('The complete new file content'),
});

export const writeTool = defineTool({
  name: 'Write',
  kind: 'edit',
  keep: 'head',
  description,
  schema,
  title: (a) => `Write ${titlePath(a.file_path)}`,
  target: (a) => a.file_path,
  async preview(args, ctx) {
    const current = await existing(args.file_path, ctx);
    if ('error' in current) return current;
    return { diff: unifiedDiff(current.shown, current.before, args.content) ?? changedLinesSummary(current.before, args.content) };
  },
  async execute(args, ctx) {
    const current = await existing(args.file_path, ctx);
    if ('error' in current) return { output: current.error, isError: true };
    const { abs, shown, before, exists } = current;
    // An existing file keeps its encoding (BOM, UTF-16, Latin-1); Latin-1 that cannot hold the text becomes UTF-8.
    const encoded = encodeText(args.content, current.encoding);
    const bytes = 'bytes' in encoded ? encoded.bytes : Buffer.from(args.content, 'utf8');
    const converted = 'bytes' in encoded ? '' : ` It was ${encodingName(current.encoding)}; it is now UTF-8, since the new content has characters Latin-1 cannot hold (${encoded.unencodable}).`;
    await ctx.beforeWrite?.(abs);
    await saveFile(ctx, abs, args.content, bytes);
    const lines = countLines(args.content);
    const size = `${lines} line${lines === 1 ? '' : 's'}`;
    const output = exists ? `Wrote ${size} to ${shown}.${converted}` : `Created ${shown} (${size}).`;
    // The tool line's title shows the path already.
    const diff = unifiedDiff(shown, before, args.content);
    const summary = exists ? `replaced the file: ${size}${diff === undefined ? ` · ${changedLinesSummary(before, args.content)}` : ''}` : `new file, ${size}`;
    return { output, display: { summary, diff } };
  },
});

/** The file a Write would replace ('' when new), or why it may not: a folder, or not read (or changed) since. */
type Existing = { abs: string; shown: string; before: string; encoding: TextEncoding; exists: boolean };

async function existing(filePath: string, ctx: Pick<ToolContext, 'cwd' | 'state' | 'textFiles'>): Promise<Existing | { error: string }> {
  const abs = resolvePath(ctx.cwd, filePath);
  const shown = displayPath(abs, ctx.cwd);
  const st = await statOrUndefined(abs);
  if (!st) return { abs, shown, before: '', encoding: 'utf8', exists: false };
  if (st.isDirectory()) return { error: `${shown} is a directory; give a file path.` };
  const special = specialKind(st);
  if (special) return { error: notRegular(shown, special, 'write') };
  const stale = checkFresh(ctx.state, abs, st.mtimeMs, shown);
  if (stale) return { error: stale };
  try {
    const { text, encoding } = decodeText(await readRegular(abs));
    return { abs, shown, before: await currentText(ctx, abs, text), encoding, exists: true };
  } catch (err) {
    if (err instanceof NotRegularFileError) return { error: notRegular(shown, err.kind, 'write') };
    throw err;
  }
}
