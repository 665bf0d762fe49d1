// OAuth for remote MCP servers, end to end: the built glm against a real OAuth-protected MCP server (the SDK's
// server-side auth: metadata discovery, dynamic client registration, PKCE, refresh). Before login the server is
// reported as needing `glm mcp login`; the login prints the address a browser would open (the test follows it,
// as a browser would, to glm's loopback redirect), tokens are kept 0600 and never in settings; runs use them, an
// expired token is refreshed, and logout forgets them.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { startOAuthMcpServer, type OAuthMcpServer } from '../support/oauth-mcp-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
let secure: OAuthMcpServer;
beforeAll(async () => {
  fake = await startFakeGlm();
  secure = await startOAuthMcpServer({ tokenSeconds: 2 });
});
afterAll(async () => {
  await fake.close();
  await secure.close();
});
beforeEach(() => fake.reset());

describe('glm mcp login', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
  });

  it('needs a login first; login follows the browser step; runs use and refresh the tokens; logout forgets them', async () => {
    const add = await runGlm(sb, ['mcp', 'add', '--transport', 'http', '--scope', 'user', 'secure', secure.url]);
    expect(add.exitCode).toBe(0);

    const before = await runGlm(sb, ['mcp', 'list'], { env: { MCP_TIMEOUT: '5000' } });
    expect(before.stdout).toMatch(/secure \(user\): http .* - failed: .*run glm mcp login secure/);

    // The login prints the authorization address; a "browser" (this test) follows it to glm's loopback redirect.
    const login = runGlm(sb, ['mcp', 'login', 'secure']);
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      login.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(out);
        if (m) resolve(m[1]!);
      });
      login.then((r) => reject(new Error(`login ended first: ${r.stdout} ${r.stderr}`)), reject);
    });
    expect(new URL(address).searchParams.get('code_challenge_method')).toBe('S256');
    const page = await fetch(address); // follows the redirect to http://127.0.0.1:<port>/callback?code=…
    expect(await page.text()).toContain('Logged in');
    const done = await login;
    expect(done.exitCode).toBe(0);
    expect(done.stdout).toMatch(/Logged in to secure \(1 tool\); tokens saved in .*mcp-oauth\.json/);

    const file = path.join(sb.home, '.config/glm-code/mcp-oauth.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = await readFile(file, 'utf8');
    expect(stored).toContain(secure.issued.at(-1));
    expect(await readFile(path.join(sb.home, '.config/glm-code/settings.json'), 'utf8')).not.toContain(secure.issued.at(-1));

    // A run a few seconds later: the 2-second token has expired and is refreshed; the tool works.
    await new Promise((r) => setTimeout(r, 2500));
    fake.reply(toolCalls([{ name: 'mcp__secure__whoami', arguments: {} }]), (body) => text(body.messages.at(-1).content));
    const run = await runGlm(sb, ['-p', 'who am i', '--allowedTools', 'mcp__secure', '--output-format', 'json']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(String(run.stdout)).result).toMatch(/^client [0-9a-f-]{36}$/);
    expect(secure.refreshes).toBeGreaterThanOrEqual(1);

    const logout = await runGlm(sb, ['mcp', 'logout', 'secure']);
    expect(logout.stdout).toBe('Logged out of secure: its tokens are deleted.');
    const after = await runGlm(sb, ['mcp', 'list'], { env: { MCP_TIMEOUT: '5000' } });
    expect(after.stdout).toContain('run glm mcp login secure');
  });

  it('a stdio server has no login; an unknown one is named (exit 2)', async () => {
    await runGlm(sb, ['mcp', 'add', '--scope', 'user', 'local', '--', 'true']);
    const r = await runGlm(sb, ['mcp', 'login', 'local']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('glm: "local" is a stdio server: OAuth login is for http and sse servers');
    const unknown = await runGlm(sb, ['mcp', 'login', 'nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('glm: no MCP server "nope" (glm mcp list shows them)');
  });
});
