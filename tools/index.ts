// The built-in tools in the order the model sees them, and their schemas as sent to the model.
// Imports only tool files, src/tool.ts, src/types.ts and zod.
import { z } from 'zod';
import type { AnyToolDef, ToolSet } from '../src/tool.ts';
import type { ToolSchema } from '../src/types.ts';
import { bashTool } from './bash.ts';
import { bashOutputTool } from './bash-output.ts';
import { editTool } from './edit.ts';
import { globTool } from './glob.ts';
import { grepTool } from './grep.ts';
import { killShellTool } from './kill-shell.ts';
import { lsTool } from './ls.ts';
import { multiEditTool } from './multi-edit.ts';
import { readTool } from './read.ts';
import { todoWriteTool } from './todo-write.ts';
import { webFetchTool } from './web-fetch.ts';
import { webSearchTool } from './web-search.ts';
import { writeTool } from './write.ts';

export { killAllShells } from './bash-shells.ts';

/** Claude Code's order: the one GLM saw in training. */
export const builtinTools: AnyToolDef[] = [
  bashTool,
  globTool,
  grepTool,
  lsTool,
  readTool,
  editTool,
  multiEditTool,
  writeTool,
  webFetchTool,
  todoWriteTool,
  webSearchTool,
  bashOutputTool,
  killShellTool,
];

/** Drops JSON Schema noise that costs tokens and tells the model nothing. */
function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || (k === 'additionalProperties' && v === false)) continue;
    if ((k === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = clean(v);
  }
  return out;
}

export function toolSchema(tool: AnyToolDef): ToolSchema {
  const parameters = clean(z.toJSONSchema(tool.schema, { io: 'input' })) as Record<string, unknown>;
  return { name: tool.name, description: tool.description.trim(), parameters };
}

export function toolSchemas(tools: AnyToolDef[]): ToolSchema[] {
  return tools.map(toolSchema);
}

/** A ToolSet over definitions already loaded (reviews, commit messages, tests). */
export function toolSet(tools: AnyToolDef[]): ToolSet {
  return { names: tools.map((t) => t.name), schemas: toolSchemas(tools), load: async () => tools };
}
