// OAuth 2.1 for remote MCP servers: what the SDK's client auth asks of a provider (client registration, tokens,
// PKCE verifier), kept in <configDir>/mcp-oauth.json (0600, atomic writes) keyed by the server's URL. In a run it
// only reuses and refreshes tokens; the browser step happens in `glm mcp login` (login.ts). Imports no SDK: the
// provider is shaped to the SDK's OAuthClientProvider interface, which client.ts hands to the transport.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-file.ts';

interface Record_ {
  client?: Record<string, unknown>;
  tokens?: Record<string, unknown>;
  verifier?: string;
  /** The redirect URL the client was registered with (a loopback port of some login). */
  redirectUrl?: string;
}

export const oauthFile = (configDir: string) => path.join(configDir, 'mcp-oauth.json');

function readAll(file: string): Record<string, Record_> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, Record_>) : {};
  } catch {
    return {};
  }
}

function update(file: string, url: string, change: (r: Record_) => Record_): void {
  const all = readAll(file);
  all[url] = change(all[url] ?? {});
  writeFileAtomicSync(file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
}

/** Whether glm holds tokens for the server at `url`. */
export function hasTokens(file: string, url: string): boolean {
  return Boolean(readAll(file)[url]?.tokens);
}

/** Forgets the server's tokens and registration (glm mcp logout). Returns whether there was anything. */
export function forget(file: string, url: string): boolean {
  const all = readAll(file);
  if (!all[url]) return false;
  delete all[url];
  writeFileAtomicSync(file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  return true;
}

export interface ProviderOptions {
  /** The server's name, for the message that says how to log in. */
  name: string;
  /** The loopback URL of a login in progress; a run has none and cannot send anyone to a browser. */
  redirectUrl?: string;
  /** A login: where to send the user (print the URL, open a browser). */
  onAuthorize?: (url: URL) => void;
}

/** The needs-login error of a run, in one line. */
export const loginHint = (name: string) => `needs you to log in: run glm mcp login ${name}`;

/** An OAuthClientProvider (structurally) for the server at `url`. */
export function oauthProvider(file: string, url: string, o: ProviderOptions) {
  const record = () => readAll(file)[url] ?? {};
  const redirectUrl = o.redirectUrl ?? record().redirectUrl ?? 'http://127.0.0.1/callback';
  const state = randomBytes(16).toString('hex');
  return {
    get redirectUrl() {
      return redirectUrl;
    },
    get clientMetadata() {
      return {
        client_name: 'glm-code',
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
    },
    state: () => state,
    /** A registration for another redirect URL (an earlier login's port) is not reused. */
    clientInformation: () => {
      const r = record();
      return r.client && r.redirectUrl === redirectUrl ? r.client : undefined;
    },
    saveClientInformation: (client: Record<string, unknown>) => update(file, url, (r) => ({ ...r, client: { ...client }, redirectUrl })),
    tokens: () => record().tokens,
    saveTokens: (tokens: Record<string, unknown>) => update(file, url, (r) => ({ ...r, tokens: { ...tokens } })),
    redirectToAuthorization: (authorizationUrl: URL) => {
      if (!o.onAuthorize) throw new Error(loginHint(o.name));
      o.onAuthorize(authorizationUrl);
    },
    saveCodeVerifier: (verifier: string) => update(file, url, (r) => ({ ...r, verifier })),
    codeVerifier: () => {
      const v = record().verifier;
      if (!v) throw new Error(`no login of ${o.name} in progress`);
      return v;
    },
    invalidateCredentials: (scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') =>
      update(file, url, (r) => {
        if (scope === 'all') return {};
        if (scope === 'client') return { ...r, client: undefined };
        if (scope === 'tokens') return { ...r, tokens: undefined };
        if (scope === 'verifier') return { ...r, verifier: undefined };
        return r;
      }),
    /** The state sent with the authorization request, for the callback to check. */
    expectedState: state,
  };
}

export type OAuthProvider = ReturnType<typeof oauthProvider>;
