// ToolSearch on its own: when schemas are deferred, how the catalogue stays small however many tools there are,
// and what a search finds.
import { describe, expect, it } from 'vitest';
import { catalogue, searchTools, shouldDefer, withToolSearch } from '../../src/mcp/tool-search.ts';
import { toolSearchPolicy } from '../../src/mcp/start.ts';
import type { ToolSchema } from '../../src/types.ts';

const tool = (name: string, description: string): ToolSchema => ({ name: `mcp__srv__${name}`, description, parameters: { type: 'object', properties: { id: { type: 'string' } } } });
const many = (n: number) => Array.from({ length: n }, (_, i) => tool(`tool_${i}`, `Does thing number ${i} for the reporting pipeline. Long details follow here.`));

describe('shouldDefer', () => {
  const auto = { mode: 'auto' as const, budgetTokens: 20_000, maxTools: 40 };
  it('auto defers over 40 tools or over the token budget, never with no tools', () => {
    expect(shouldDefer(many(40), auto)).toBe(false);
    expect(shouldDefer(many(41), auto)).toBe(true);
    expect(shouldDefer(many(10), { ...auto, budgetTokens: 100 })).toBe(true);
    expect(shouldDefer([], { ...auto, mode: 'always' })).toBe(false);
    expect(shouldDefer(many(1), { ...auto, mode: 'always' })).toBe(true);
    expect(shouldDefer(many(500), { ...auto, mode: 'never' })).toBe(false);
  });
  it('the default budget is 10% of the context window; a number setting is a token budget', () => {
    expect(toolSearchPolicy({ modelInfo: { contextWindow: 200_000 } } as never)).toEqual({ mode: 'auto', budgetTokens: 20_000, maxTools: 40 });
    expect(toolSearchPolicy({ mcpToolSearch: 5000, modelInfo: { contextWindow: 200_000 } } as never)).toMatchObject({ budgetTokens: 5000 });
  });
});

describe('catalogue', () => {
  it('gives each tool its first sentence when there is room, under its server prefix, and stays within about 2,000 tokens for 1,000 tools', () => {
    expect(catalogue(many(3))).toBe(
      ['mcp__srv__<name>:', '- tool_0: Does thing number 0 for the reporting pipeline.', '- tool_1: Does thing number 1 for the reporting pipeline.', '- tool_2: Does thing number 2 for the reporting pipeline.'].join('\n'),
    );
    const big = catalogue(many(1000));
    expect(big.length / 4).toBeLessThanOrEqual(2000);
    expect(big).toMatch(/… and \d+ more \(a search finds them\)$/);
    const mid = catalogue(many(150));
    expect(mid.split('\n')).toHaveLength(151);
    expect(mid.length / 4).toBeLessThanOrEqual(2000);
  });
});

describe('searchTools', () => {
  const tools = [tool('create_invoice', 'Create an invoice.'), tool('export_invoice', 'Export an invoice as PDF.'), tool('export_customer', 'Export a customer.'), tool('ping', 'Checks the billing service is up.')];
  it('ranks name matches first, then descriptions; select: takes exact names', () => {
    expect(searchTools(tools, 'export invoice', 5).map((t) => t.name)).toEqual(['mcp__srv__export_invoice', 'mcp__srv__create_invoice', 'mcp__srv__export_customer']);
    expect(searchTools(tools, 'billing', 5).map((t) => t.name)).toEqual(['mcp__srv__ping']);
    expect(searchTools(tools, 'select:ping,mcp__srv__create_invoice', 5).map((t) => t.name)).toEqual(['mcp__srv__ping', 'mcp__srv__create_invoice']);
    expect(searchTools(tools, '???', 5)).toEqual([]);
  });

  it('a found tool joins the schemas after ToolSearch and stays; every tool stays callable', async () => {
    const schemas = many(50);
    const defs = schemas.map((s) => ({ name: s.name }) as never);
    const set = withToolSearch({ schemas: () => schemas, defs: async () => defs }, { mode: 'auto', budgetTokens: 1e6, maxTools: 40 });
    expect(set.names).toEqual(['ToolSearch']);
    const loaded = await set.load();
    expect(loaded).toHaveLength(51);
    const search = loaded.find((d) => d.name === 'ToolSearch')!;
    const out = await search.execute({ query: 'select:tool_7' }, {} as never);
    expect(out.output).toContain('## mcp__srv__tool_7');
    expect(set.names).toEqual(['ToolSearch', 'mcp__srv__tool_7']);
    expect((await search.execute({ query: 'nothing-like-it' }, {} as never)).output).toMatch(/^No MCP tool matches/);
  });
});
