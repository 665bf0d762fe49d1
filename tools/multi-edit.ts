// MultiEdit: several replacements in one file, applied in order, all or nothing. Imports no loop, session or UI.
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { previewEdits, runEdits } from './edit-apply.ts';
import { titlePath } from './file-io.ts';
import description from './multi-edit.md';

const schema = z.object({
  file_path: z.string().describe('Path of the file to change'),
  edits: z
    .array(
      z.object({
        old_string: z.string().describe('Exact text to replace'),
        new_string: z.string().describe('Replacement text'),
        replace_all: z.boolean().optional().describe('Replace every occurrence'),
      }),
    )
    .min(1)
    .describe('Edits applied in order, each to the result of the previous'),
});

export const multiEditTool = defineTool({
  name: 'MultiEdit',
  kind: 'edit',
  keep: 'head',
  description,
  schema,
  title: (a) => `MultiEdit ${titlePath(a.file_path)} (${a.edits.length} edit${a.edits.length === 1 ? '' : 's'})`,
  target: (a) => a.file_path,
  preview: (args, ctx) => previewEdits(args.file_path, args.edits, ctx, editLabel(args.edits.length)),
  execute: (args, ctx) => runEdits(args.file_path, args.edits, ctx, editLabel(args.edits.length)),
});

/** Names an edit in errors when there are several: "Edit 2 of 3: ". */
const editLabel = (count: number) => (i: number) => (count > 1 ? `Edit ${i + 1} of ${count}: ` : '');
