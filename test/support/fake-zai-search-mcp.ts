// A stand-in for the Coding Plan's web search MCP endpoint (§14.3): streamable HTTP at
// /api/mcp/web_search_prime/mcp, a Bearer key required, one tool `webSearchPrime` answering with the search
// results as JSON text, as Z.ai's server does. Built on the MCP SDK's own server.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface FakeSearchMcp {
  origin: string;
  /** search_query of every call. */
  queries: string[];
  /** Authorization headers seen. */
  auth: string[];
  /** What the next calls answer (JSON text of a result list); default the two fixture hits. */
  results: unknown[];
  close(): Promise<void>;
}

export async function startFakeSearchMcp(results: unknown[]): Promise<FakeSearchMcp> {
  const state = { queries: [] as string[], auth: [] as string[], results };
  const server = http.createServer(async (req, res) => {
    state.auth.push(String(req.headers.authorization ?? ''));
    if (req.url !== '/api/mcp/web_search_prime/mcp') return void res.writeHead(404).end();
    if (req.headers.authorization !== 'Bearer test-key-not-secret') return void res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
    const mcp = new McpServer({ name: 'web-search-prime', version: '0.0.1' });
    mcp.registerTool('webSearchPrime', { description: 'Search the web', inputSchema: { search_query: z.string() } }, async ({ search_query }) => {
      state.queries.push(search_query);
      return { content: [{ type: 'text', text: JSON.stringify(JSON.stringify(fake.results)) }] };
    });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    await transport.handleRequest(req, res, raw ? JSON.parse(raw) : undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const fake: FakeSearchMcp = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries: state.queries,
    auth: state.auth,
    results,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  return fake;
}
