// WebSearch backends, chosen from the provider and key (they hold the key, so they live in the core, not in
// tools/): Z.ai / BigModel pay-as-you-go keys POST {base}/web_search (§14.2); Coding Plan keys, which get 1113
// there, call the plan's web search MCP endpoint through src/mcp/client.ts connect(); other providers have none.
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
  search(query: string, signal: AbortSignal): Promise<SearchHit[]>;
  close(): Promise<void>;
}

export class WebSearchError extends Error {
  override name = 'WebSearchError';
}

/** The backend for this config, or undefined (OpenRouter, self-hosted: the tool then says what to configure). */
export function webSearchBackend(config: Config): WebSearchBackend | undefined {
  const platform = platformOf(config.provider);
  if (!platform || !config.apiKey) return undefined;
  const coding = config.provider.endsWith('-coding');
  return coding ? mcpBackend(new URL(config.baseURL).origin, config.apiKey, config.cwd) : apiBackend(config.baseURL, config.apiKey);
}

/** Names the backend without creating it (glm doctor). */
export function webSearchBackendName(config: Pick<Config, 'provider'>): string | undefined {
  if (!platformOf(config.provider)) return undefined;
  return config.provider.endsWith('-coding') ? 'web search MCP endpoint of the Coding Plan' : 'web search API';
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
