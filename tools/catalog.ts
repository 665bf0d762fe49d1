// The built-in tools as a ToolSet: their schemas precomputed at build time (tools/schemas.json, written by
// scripts/build.mjs and checked by test/tools/catalog.test.ts), their definitions loaded on first use.
// Importing this file loads neither zod nor any tool.
import type { AnyToolDef, ToolSet } from '../src/tool.ts';
import type { ToolSchema } from '../src/types.ts';
import schemas from './schemas.json' with { type: 'json' };

let loading: Promise<AnyToolDef[]> | undefined;

export const builtinToolSet: ToolSet = {
  names: schemas.map((s) => s.name),
  schemas: schemas as ToolSchema[],
  load: () => (loading ??= import('./index.ts').then((m) => m.builtinTools)),
};
