// WebSearch backends, chosen from the provider and key (they hold the key, so they live in the core, not in
// tools/): Z.ai / BigModel pay-as-you-go keys POST {base}/web_search (§14.2); Coding Plan keys, which get 1113
// there, call the plan's web search MCP endpoint through src/mcp/client.ts connect(); other providers search
// through a configured MCP server with "search" in its name (web-search-mcp.ts), else WebSearch is not offered.
import { platformOf } from './mcp/zai.ts';
import type { Config } from './types.ts';

export interface SearchHit {
  title: string;
  url: string;
  snippet: string;
  date?: string;
}

export interface WebSearchBackend {
  /** For `glm doctor` and messages: which service answers. */
  name: string;
  /** Hits, or the text a search MCP server answered when it is not a list glm can read (shown as it is). */
  search(query: string, signal: AbortSignal): Promise<SearchHit[] | string>;
  close(): Promise<void>;
}

export class WebSearchError extends Error {
  override name = 'WebSearchError';
}

/** Where WebSearch's results come from (glm doctor says it; with `none` the tool is not offered). */
export type WebSearchSource =
  | { kind: 'api' | 'coding-plan'; name: string }
  | { kind: 'mcp'; name: string; server: string }
  | { kind: 'none'; hint: string };

/** A configured MCP server the user meant for search: the first whose name says so (`zai-search`, `brave-search`). */
const searchServerOf = (config: Pick<Config, 'mcpServers'>): string | undefined => config.mcpServers?.find((s) => /search/i.test(s.name))?.name;

export function webSearchSource(config: Pick<Config, 'provider' | 'apiKey' | 'mcpServers'>): WebSearchSource {
  if (platformOf(config.provider) && config.apiKey) {
    return config.provider.endsWith('-coding') ? { kind: 'coding-plan', name: 'web search MCP endpoint of the Coding Plan' } : { kind: 'api', name: 'web search API' };
  }
  const server = searchServerOf(config);
  if (server) return { kind: 'mcp', name: `the "${server}" MCP server`, server };
  const why = platformOf(config.provider) ? 'no API key is set' : `${config.provider} has no search API`;
  return { kind: 'none', hint: `${why}; configure a search MCP server with "search" in its name (glm mcp add brave-search -- npx -y @modelcontextprotocol/server-brave-search) to get WebSearch` };
}

/** The provider's own backend for this config, or undefined (a search MCP server's: web-search-mcp.ts). */
export function webSearchBackend(config: Config): WebSearchBackend | undefined {
  const source = webSearchSource(config);
  if (source.kind === 'api') return apiBackend(config.baseURL, config.apiKey!);
  if (source.kind === 'coding-plan') return mcpBackend(new URL(config.baseURL).origin, config.apiKey!, config.cwd);
  return undefined;
}

/** Names the backend without creating it (glm doctor). */
export function webSearchBackendName(config: Pick<Config, 'provider' | 'apiKey' | 'mcpServers'>): string | undefined {
  const source = webSearchSource({ apiKey: 'key', ...config });
  return source.kind === 'none' ? undefined : source.name;
}

/** Errors of the search API as one line (§6.4 codes; 1113 is what Coding Plan keys get). */
function apiError(status: number, body: string): WebSearchError {
  let code = '';
  let message = body.slice(0, 200);
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    code = String(parsed.error?.code ?? '');
    message = String(parsed.error?.message ?? message);
  } catch {
    // not JSON: keep the text
  }
  if (code === '1113') return new WebSearchError(`the web search API refused this key (1113: ${message}); a GLM Coding Plan key searches through its plan's MCP endpoint: use provider zai-coding or bigmodel-coding`);
  if (['1304', '1308', '1309', '1310', '1311', '1313'].includes(code) || status === 429) return new WebSearchError(`the web search quota is used up (${code || status}: ${message})`);
  if (status === 401 || code.startsWith('100')) return new WebSearchError(`the web search API rejected the key (${code || status}: ${message})`);
  return new WebSearchError(`the web search API answered HTTP ${status}${code ? ` (${code})` : ''}: ${message}`);
}

function apiBackend(baseURL: string, key: string): WebSearchBackend {
  return {
    name: 'web search API',
    async search(query, signal) {
      const res = await fetch(`${baseURL.replace(/\/$/, '')}/web_search`, {
        method: 'POST',
        signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` },
        body: JSON.stringify({ search_engine: 'search-prime', search_query: query, count: 10 }),
      }).catch((e: unknown) => {
        throw new WebSearchError(`could not reach the web search API: ${e instanceof Error ? e.message : String(e)}`);
      });
      const text = await res.text();
      if (!res.ok) throw apiError(res.status, text);
      return hitsOf(text);
    },
    close: async () => {},
  };
}

/** `search_result` of the API, or the JSON array the MCP tool returns as text. */
export function hitsOf(text: string): SearchHit[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new WebSearchError(`the search answer was not JSON: ${text.slice(0, 120)}`);
  }
  if (typeof data === 'string') return hitsOf(data);
  const list = Array.isArray(data) ? data : (data as { search_result?: unknown }).search_result;
  if (!Array.isArray(list)) return [];
  return list.flatMap((r: Record<string, unknown>) => {
    const url = String(r.link ?? r.url ?? '');
    if (!url) return [];
    const date = r.publish_date ? String(r.publish_date) : undefined;
    return [{ title: String(r.title ?? url), url, snippet: String(r.content ?? r.snippet ?? ''), ...(date && { date }) }];
  });
}

function mcpBackend(origin: string, key: string, cwd: string): WebSearchBackend {
  let connection: Promise<import('./mcp/client.ts').Connection> | undefined;
  const open = () =>
    (connection ??= import('./mcp/client.ts').then((m) =>
      m.connect(
        { type: 'http', url: `${origin}/api/mcp/web_search_prime/mcp`, headers: { Authorization: `Bearer ${key}` } },
        { cwd, env: {}, onStderr: () => {}, signal: AbortSignal.timeout(30_000), onToolsChanged: () => {}, onClosed: () => (connection = undefined) },
      ),
    ));
  return {
    name: 'web search MCP endpoint of the Coding Plan',
    async search(query, signal) {
      let conn;
      try {
        conn = await open();
      } catch (e) {
        connection = undefined;
        throw new WebSearchError(`could not connect to the Coding Plan's web search MCP endpoint: ${e instanceof Error ? e.message : String(e)}`);
      }
      const tool = conn.tools.find((t) => /^web_?search_?prime$/i.test(t.name))?.name;
      if (!tool) throw new WebSearchError(`the Coding Plan's web search MCP endpoint offers no webSearchPrime tool (it has: ${conn.tools.map((t) => t.name).join(', ') || 'none'})`);
      const result = await conn.call(tool, { search_query: query }, signal);
      const text = (result.content ?? []).map((b) => (b as { text?: unknown }).text).filter((t): t is string => typeof t === 'string').join('');
      if (result.isError) throw new WebSearchError(`the web search MCP endpoint failed: ${text.slice(0, 200)}`);
      return text.trim() ? hitsOf(text) : [];
    },
    async close() {
      const c = connection;
      connection = undefined;
      await c?.then((conn) => conn.close()).catch(() => {});
    },
  };
}
