// `glm mcp add | add-json | list | get | remove` as a user runs them: the files of each scope (other keys kept,
// valid JSON), status and tool counts from real servers, and one-line errors with exit 2.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EVERYTHING, NODE, marker, orphansOf } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

describe('glm mcp', () => {
  let sb: Sandbox;
  let settings: string;
  const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' });
    settings = path.join(sb.home, '.config', 'glm-code', 'settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
    await writeFile(settings, JSON.stringify({ model: 'glm-5.2', permissions: { allow: ['Read'] } }), { mode: 0o600 });
  });

  it('add (each scope), add-json, list, get and remove round trip, keeping the files valid and their other keys', async () => {
    const mark = marker();
    let r = await runGlm(sb, ['mcp', 'add', '-e', 'GREETING=hi', 'everything', '--', NODE, EVERYTHING, 'stdio', mark]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    r = await runGlm(sb, ['mcp', 'add', '--transport', 'http', '--scope', 'user', '-H', 'Authorization: Bearer ${DOCS_TOKEN}', 'docs', 'http://127.0.0.1:9/mcp']);
    expect(r.exitCode).toBe(0);
    r = await runGlm(sb, ['mcp', 'add-json', '--scope', 'project', 'shared', JSON.stringify({ command: 'npx', args: ['-y', 'shared-server'] })]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('It starts once you trust this project (glm trust).');

    const user = await readJson(settings);
    expect(user).toEqual({
      model: 'glm-5.2',
      permissions: { allow: ['Read'] },
      projects: { [sb.repo]: { mcpServers: { everything: { command: NODE, args: [EVERYTHING, 'stdio', mark], env: { GREETING: 'hi' } } } } },
      mcpServers: { docs: { type: 'http', url: 'http://127.0.0.1:9/mcp', headers: { Authorization: 'Bearer ${DOCS_TOKEN}' } } },
    });
    expect(statSync(settings).mode & 0o777).toBe(0o600);
    expect(await readJson(path.join(sb.repo, '.mcp.json'))).toEqual({ mcpServers: { shared: { command: 'npx', args: ['-y', 'shared-server'] } } });

    // server-everything must connect: a busy machine can take seconds to start it (npx shared-server fails at once).
    r = await runGlm(sb, ['mcp', 'list'], { env: { MCP_TIMEOUT: '10000' } });
    expect(r.exitCode).toBe(0);
    const lines = String(r.stdout).split('\n');
    expect(lines).toContain('docs (user): http http://127.0.0.1:9/mcp (headers Authorization, given $DOCS_TOKEN) - failed: ${DOCS_TOKEN} is not set (give it a default with ${DOCS_TOKEN:-value})');
    expect(lines.find((l) => l.startsWith('everything (local): '))).toMatch(/ - connected \(\d+ tools\)$/);
    expect(lines).toContain('shared (project): npx -y shared-server - not started: this project is not trusted (glm trust)');

    r = await runGlm(sb, ['mcp', 'get', 'everything']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  Scope: local\n  Type: stdio\n');
    expect(r.stdout).toContain('  Env: GREETING=hi\n');
    expect(r.stdout).toMatch(/ {2}Status: connected \(\d+ tools\)/);
    expect(await orphansOf(mark)).toEqual([]);

    for (const name of ['everything', 'docs', 'shared']) expect((await runGlm(sb, ['mcp', 'remove', name])).exitCode).toBe(0);
    expect(await readJson(settings)).toEqual({ model: 'glm-5.2', permissions: { allow: ['Read'] }, projects: { [sb.repo]: { mcpServers: {} } }, mcpServers: {} });
    expect(await readJson(path.join(sb.repo, '.mcp.json'))).toEqual({ mcpServers: {} });
    r = await runGlm(sb, ['mcp', 'list']);
    expect(r.stdout).toBe('No MCP servers configured. Add one with: glm mcp add <name> -- <command> [args…]');
  });

  it("list shows the user's server where the project's .mcp.json names one the same, and says so on stderr", async () => {
    await runGlm(sb, ['mcp', 'add', '--scope', 'user', 'docs', '--', 'my-docs-server']);
    await runGlm(sb, ['mcp', 'add', '--scope', 'project', 'docs', '--', 'their-docs-server']);
    const r = await runGlm(sb, ['mcp', 'list'], { env: { MCP_TIMEOUT: '2000' } });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^docs \(user\): my-docs-server - failed/m);
    expect(String(r.stdout)).not.toContain('their-docs-server');
    expect(r.stderr).toBe(`glm: not starting the server "docs" of ${path.join(sb.repo, '.mcp.json')}: "mcpServers" in ${settings} has a server of that name, which runs instead (your rules for mcp__docs are for yours); rename one to use both`);
  });

  it('a name in two scopes needs --scope to remove', async () => {
    await runGlm(sb, ['mcp', 'add', 'twice', '--', 'a']);
    await runGlm(sb, ['mcp', 'add', '--scope', 'user', 'twice', '--', 'b']);
    let r = await runGlm(sb, ['mcp', 'remove', 'twice']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('glm: "twice" is in the local and user scopes: pass --scope to say which to remove');
    r = await runGlm(sb, ['mcp', 'remove', 'twice', '--scope', 'user']);
    expect(r.exitCode).toBe(0);
    expect((await readJson(settings)).mcpServers).toEqual({});
  });

  it.each([
    [['mcp', 'add', 'a b', '--', 'x'], /^glm: Invalid MCP server name "a b"/],
    [['mcp', 'add', '--transport', 'ws', 'x', 'y'], /^glm: unknown --transport "ws": use stdio, http or sse$/],
    [['mcp', 'add', '--scope', 'team', 'x', '--', 'y'], /^glm: unknown --scope "team": use local, project or user$/],
    [['mcp', 'add', '--transport', 'http', 'x', 'not a url'], /^glm: "not a url" is not an http\(s\) URL$/],
    [['mcp', 'add', '-e', 'NOEQUALS', 'x', '--', 'y'], /^glm: -e "NOEQUALS" needs the form KEY=VALUE; a server's own options go after --/],
    [['mcp', 'add', 'x', 'node', '-e', '1'], /^glm: -e "1" needs the form KEY=VALUE; a server's own options go after --, as in glm mcp add <name> -- node -e …$/],
    [['mcp', 'add', 'x', 'npx', '-y', 'pkg'], /^glm: unknown option '-y': the server's own options go after --, as in glm mcp add <name> -- npx -y <package>$/],
    [['mcp', 'add', '-H', 'X: y', 'x', '--', 'y'], /^glm: -H headers are for http and sse servers/],
    [['mcp', 'add-json', 'x', '{nope'], /^glm: the server of glm mcp add-json is not valid JSON/],
    [['mcp', 'add-json', 'x', '{"type": "http"}'], /^glm: the server of glm mcp add-json needs "url"/],
    [['mcp', 'get', 'nope'], /^glm: no MCP server "nope" \(glm mcp list shows them\)$/],
    [['mcp', 'remove', 'nope'], /^glm: no MCP server "nope" to remove/],
  ])('glm %j: one line, exit 2, nothing written', async (args, message) => {
    const before = await readFile(settings, 'utf8');
    const r = await runGlm(sb, args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(String(r.stderr).split('\n')).toHaveLength(1);
    expect(await readFile(settings, 'utf8')).toBe(before);
    expect(existsSync(path.join(sb.repo, '.mcp.json'))).toBe(false);
  });

  it('adding a name the scope already has is refused', async () => {
    await runGlm(sb, ['mcp', 'add', 'dup', '--', 'a']);
    const r = await runGlm(sb, ['mcp', 'add', 'dup', '--', 'b']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^glm: an MCP server "dup" is already in .*settings\.json \(local scope\): remove it first/);
  });
});
