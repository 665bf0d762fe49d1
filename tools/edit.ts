// Edit: replace an exact string in a file (tolerant matching as a fallback), read-first enforced.
// Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { previewEdits, runEdits } from './edit-apply.ts';
import { titlePath } from './file-io.ts';
import description from './edit.md';

const schema = z.object({
  file_path: z.string().describe('Path of the file to change'),
  old_string: z.string().describe('Exact text to replace, copied from the file'),
  new_string: z.string().describe('Text to put in its place'),
  replace_all: z.boolean().optional().describe('Replace every occurrence (default false)'),
});

export const editTool = defineTool({
  name: 'Edit',
  kind: 'edit',
  keep: 'head',
  description,
  schema,
  title: (a) => `Edit ${titlePath(a.file_path)}`,
  target: (a) => a.file_path,
  preview: (args, ctx) => previewEdits(args.file_path, [args], ctx, () => ''),
  execute: (args, ctx) => runEdits(args.file_path, [args], ctx, () => ''),
});
