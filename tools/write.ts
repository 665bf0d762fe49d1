// Write: create or overwrite a whole file atomically; existing files must have been read first.
// Imports no loop, session or UI.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { checkFresh, countLines, displayPath, resolvePath, statOrUndefined, titlePath, unifiedDiff, writeAtomic } from './file-io.ts';
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
    const abs = resolvePath(ctx.cwd, args.file_path);
    const before = await readFile(abs, 'utf8').catch(() => '');
    return unifiedDiff(displayPath(abs, ctx.cwd), before, args.content);
  },
  async execute(args, ctx) {
    const abs = resolvePath(ctx.cwd, args.file_path);
    const shown = displayPath(abs, ctx.cwd);
    const st = await statOrUndefined(abs);
    let before = '';
    if (st) {
      if (st.isDirectory()) return { output: `${shown} is a directory; give a file path.`, isError: true };
      const stale = checkFresh(ctx.state, abs, st.mtimeMs, shown);
      if (stale) return { output: stale, isError: true };
      before = await readFile(abs, 'utf8');
    }
    await ctx.beforeWrite?.(abs);
    ctx.state.readFiles.set(abs, await writeAtomic(abs, args.content));
    const lines = countLines(args.content);
    const summary = st ? `Wrote ${lines} line${lines === 1 ? '' : 's'} to ${shown}` : `Created ${shown} (${lines} line${lines === 1 ? '' : 's'})`;
    return { output: `${summary}.`, display: { summary, diff: unifiedDiff(shown, before, args.content) } };
  },
});
