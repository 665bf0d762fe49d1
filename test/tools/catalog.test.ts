// The precomputed built-in tool schemas (tools/schemas.json, written by `npm run build`) must be exactly
// what the zod definitions produce, and loading the catalog must give the same tools.
import { describe, expect, it } from 'vitest';
import { builtinToolSet } from '../../tools/catalog.ts';
import { builtinTools, toolSchemas } from '../../tools/index.ts';

describe('built-in tool catalog', () => {
  it('ships the schemas the tool definitions produce (run `npm run build` to refresh tools/schemas.json)', () => {
    expect(builtinToolSet.schemas).toEqual(toolSchemas(builtinTools));
    expect(builtinToolSet.names).toEqual(builtinTools.map((t) => t.name));
  });

  it('loads the same definitions, once', async () => {
    const first = builtinToolSet.load();
    expect(builtinToolSet.load()).toBe(first);
    expect(await first).toBe(builtinTools);
  });
});
