// A real OAuth-protected MCP server on a local port, built from the SDK's server-side auth (mcpAuthRouter: metadata,
// dynamic client registration, authorization with PKCE, tokens, refresh) and a streamable HTTP MCP endpoint behind
// requireBearerAuth. Its authorization page "approves" at once by redirecting with a code, as a user clicking
// Allow would. Tokens can be made to expire quickly to exercise refresh.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthClientInformationFull } from '@modelcontextprotocol/sdk/shared/auth.js';
import { z } from 'zod';

export interface OAuthMcpServer {
  url: string;
  /** How many times a token was issued from a refresh token. */
  refreshes: number;
  /** Access tokens issued so far. */
  issued: string[];
  close(): Promise<void>;
}

export async function startOAuthMcpServer(o: { tokenSeconds?: number } = {}): Promise<OAuthMcpServer> {
  const clients = new Map<string, OAuthClientInformationFull>();
  const codes = new Map<string, { clientId: string; challenge: string }>();
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const refreshTokens = new Map<string, string>();
  const state: OAuthMcpServer = { url: '', refreshes: 0, issued: [], close: async () => {} };

  const issue = (clientId: string) => {
    const access = randomUUID();
    const refresh = randomUUID();
    const seconds = o.tokenSeconds ?? 3600;
    tokens.set(access, { clientId, expiresAt: Date.now() + seconds * 1000 });
    refreshTokens.set(refresh, clientId);
    state.issued.push(access);
    return { access_token: access, token_type: 'bearer', expires_in: seconds, refresh_token: refresh };
  };

  const provider: OAuthServerProvider = {
    clientsStore: {
      getClient: async (id) => clients.get(id),
      registerClient: async (client) => {
        const full = { ...client, client_id: randomUUID(), client_id_issued_at: Math.floor(Date.now() / 1000) } as OAuthClientInformationFull;
        clients.set(full.client_id, full);
        return full;
      },
    },
    async authorize(client, params, res) {
      const code = randomUUID();
      codes.set(code, { clientId: client.client_id, challenge: params.codeChallenge });
      const target = new URL(params.redirectUri);
      target.searchParams.set('code', code);
      if (params.state !== undefined) target.searchParams.set('state', params.state);
      res.redirect(target.href);
    },
    challengeForAuthorizationCode: async (_client, code) => codes.get(code)?.challenge ?? '',
    async exchangeAuthorizationCode(client, code) {
      const c = codes.get(code);
      if (!c || c.clientId !== client.client_id) throw new Error('bad code');
      codes.delete(code);
      return issue(client.client_id);
    },
    async exchangeRefreshToken(client, refresh) {
      if (refreshTokens.get(refresh) !== client.client_id) throw new Error('bad refresh token');
      refreshTokens.delete(refresh);
      state.refreshes++;
      return issue(client.client_id);
    },
    async verifyAccessToken(token) {
      const t = tokens.get(token);
      if (!t || t.expiresAt < Date.now()) throw new InvalidTokenError('invalid or expired token');
      return { token, clientId: t.clientId, scopes: [], expiresAt: Math.floor(t.expiresAt / 1000) };
    },
  };

  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const mcpUrl = new URL('/mcp', base);
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(base), resourceServerUrl: mcpUrl, tokenOptions: { rateLimit: false }, clientRegistrationOptions: { rateLimit: false }, authorizationOptions: { rateLimit: false } }));
  const auth = requireBearerAuth({ verifier: provider, resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) });
  app.post('/mcp', express.json(), auth, async (req, res) => {
    const mcp = new McpServer({ name: 'secure', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'Says which OAuth client called.', inputSchema: { greeting: z.string().optional() } }, async (_args, extra) => ({
      content: [{ type: 'text', text: `client ${extra.authInfo?.clientId ?? 'none'}` }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.get('/mcp', (_req, res) => void res.status(405).end());
  state.url = mcpUrl.href;
  state.close = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}
