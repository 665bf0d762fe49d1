// `glm mcp login <name>`: the browser step of OAuth for a remote MCP server. A loopback HTTP server on a free port
// takes the redirect; the SDK (through client.ts) registers glm as a client, sends the user to the server's
// authorization page with PKCE, and trades the code for tokens that oauth.ts keeps. `glm mcp logout` forgets them.
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { safeLine } from '../terminal-text.ts';
import type { McpServerEntry } from '../types.ts';
import { connect, NeedsAuthorization, type ConnectOptions } from './client.ts';
import { expandServer } from './config.ts';
import { forget, oauthFile, oauthProvider } from './oauth.ts';

/** How long a login waits for the browser. */
const LOGIN_TIMEOUT_MS = 5 * 60_000;

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>glm-code</title><p>${text}</p>`;

/** A loopback server that resolves with the code of the first redirect carrying our state. */
async function callbackServer(state: () => string): Promise<{ url: string; code: Promise<string>; close(): void }> {
  let settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (u.pathname !== '/callback') return void res.writeHead(404).end();
    const error = u.searchParams.get('error');
    const got = u.searchParams.get('code');
    if (u.searchParams.get('state') !== state()) return void res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('This login link is not the one glm started.'));
    if (error || !got) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('The login was refused. You can close this tab.'));
      return settle.reject(new Error(`the server refused the login: ${safeLine(u.searchParams.get('error_description') ?? error ?? 'no code')}`));
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE('Logged in: you can close this tab and go back to glm.'));
    settle.resolve(got);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, code, close: () => server.close() };
}

/** Opens `url` in the user's browser when there is a terminal and an opener; says nothing when there is not. */
function openBrowser(url: string): void {
  if (!process.stdout.isTTY) return;
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // no opener: the printed address is enough
  }
}

function connectOptions(cwd: string, signal: AbortSignal): Omit<ConnectOptions, 'auth'> {
  return { cwd, env: {}, signal, onStderr: () => {}, onToolsChanged: () => {}, onClosed: () => {} };
}

/** Logs in to `entry` (an http or sse server); returns the exit code. */
export async function login(entry: McpServerEntry, configDir: string, cwd: string, out: Output): Promise<number> {
  if (entry.def.type === 'stdio') throw new Error(`"${entry.name}" is a stdio server: OAuth is for http and sse servers`);
  const def = expandServer(entry.def, process.env);
  if (def.type === 'stdio') return 2;
  const file = oauthFile(configDir);
  let provider: ReturnType<typeof oauthProvider> | undefined;
  const callback = await callbackServer(() => provider!.expectedState);
  const signal = AbortSignal.timeout(LOGIN_TIMEOUT_MS);
  try {
    provider = oauthProvider(file, def.url, {
      name: entry.name,
      redirectUrl: callback.url,
      onAuthorize: (u) => {
        out.stdout(`Open this address in your browser to log in to ${entry.name}:\n  ${u.href}\nWaiting for the browser (Ctrl+C stops)…\n`);
        openBrowser(u.href);
      },
    });
    try {
      await (await connect(def, { ...connectOptions(cwd, signal), auth: provider })).close();
      out.stdout(`Already logged in to ${entry.name}; nothing to do (glm mcp logout ${entry.name} forgets the tokens).\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof NeedsAuthorization)) throw err;
      const timeout = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('no answer from the browser within 5 minutes'))));
      await err.finish(await Promise.race([callback.code, timeout]));
    }
    const conn = await connect(def, { ...connectOptions(cwd, AbortSignal.timeout(30_000)), auth: oauthProvider(file, def.url, { name: entry.name }) });
    const tools = conn.tools.length;
    await conn.close();
    out.stdout(`Logged in to ${entry.name} (${tools} tool${tools === 1 ? '' : 's'}); tokens saved in ${file}.\n`);
    return 0;
  } finally {
    callback.close();
  }
}

/** Forgets the tokens of `entry`; returns the exit code. */
export function logout(entry: McpServerEntry, configDir: string, out: Output): number {
  if (entry.def.type === 'stdio') throw new Error(`"${entry.name}" is a stdio server: it has no login`);
  const url = expandServer(entry.def, process.env);
  const had = url.type !== 'stdio' && forget(oauthFile(configDir), url.url);
  out.stdout(had ? `Logged out of ${entry.name}: its tokens are deleted.\n` : `No login of ${entry.name} to forget.\n`);
  return 0;
}
