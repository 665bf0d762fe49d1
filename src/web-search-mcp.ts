// WebSearch through a configured search MCP server (OpenRouter and self-hosted providers have no search API):
// the server's tool with "search" in its name, called through the session's own tool set, so the server runs as
// configured (trusted, sandboxed, one process). Imports web-search.ts, the tool contract and mcp/schema.ts (pure).
import { exposedToolName } from './mcp/schema.ts';
import { createToolState, type ToolSet } from './tool.ts';
import type { Config } from './types.ts';
import { hitsOf, webSearchBackend, webSearchSource, WebSearchError, type SearchHit, type WebSearchBackend } from './web-search.ts';

/**
 * The session's backend: the provider's, else the configured search MCP server's, else none (WebSearch not
 * offered). `denied(tool)`: a deny rule covers that MCP tool, so WebSearch must not call it on the model's behalf.
 */
export function sessionWebSearch(config: Config, tools: ToolSet, denied: (tool: string) => boolean = () => false): WebSearchBackend | undefined {
  const own = webSearchBackend(config);
  if (own) return own;
  const source = webSearchSource(config);
  return source.kind === 'mcp' ? mcpServerBackend(source.server, tools, config.cwd, denied) : undefined;
}

/** The query's argument name in the tool's schema: query, search_query, q, or its one required string. */
function queryArgument(tools: ToolSet, name: string): string {
  const schema = tools.schemas.find((s) => s.name === name)?.parameters as { properties?: Record<string, { type?: unknown }>; required?: string[] } | undefined;
  const props = schema?.properties ?? {};
  const known = ['query', 'search_query', 'q'].find((k) => k in props);
  if (known) return known;
  const strings = (schema?.required ?? []).filter((k) => props[k]?.type === 'string');
  if (strings.length === 1) return strings[0]!;
  // Deferred behind ToolSearch, the schema is not at hand: Z.ai's webSearchPrime takes search_query.
  return /prime/i.test(name) ? 'search_query' : 'query';
}

export function mcpServerBackend(server: string, tools: ToolSet, cwd: string, denied: (tool: string) => boolean = () => false): WebSearchBackend {
  const prefix = exposedToolName(server, '');
  return {
    name: `the "${server}" MCP server`,
    async search(query, signal): Promise<SearchHit[] | string> {
      const def = (await tools.load()).find((d) => d.name.startsWith(prefix) && /search/i.test(d.name.slice(prefix.length)));
      if (!def) throw new WebSearchError(`the "${server}" MCP server offers no search tool now (it may have failed to start: see /mcp or glm doctor)`);
      if (denied(def.name)) throw new WebSearchError(`a deny rule covers ${def.name}, so WebSearch does not search through it`);
      const result = await def.execute({ [queryArgument(tools, def.name)]: query }, { cwd, signal, state: createToolState() });
      if (result.isError) throw new WebSearchError(`the "${server}" MCP server's search failed: ${result.output.replace(/\s+/g, ' ').slice(0, 200)}`);
      try {
        const hits = hitsOf(result.output);
        if (hits.length || /^\s*("?\[\s*\]"?)?\s*$/.test(result.output)) return hits;
      } catch {
        // not JSON: the server's own text
      }
      return result.output;
    },
    close: async () => {},
  };
}
