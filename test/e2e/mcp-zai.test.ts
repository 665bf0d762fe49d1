// `glm mcp add zai`: Z.ai's four Coding Plan servers written for the user's provider (api.z.ai or
// open.bigmodel.cn), the key referenced by variable and never written, names already taken refused unless --force.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

const KEY = 'sk-very-secret-0123456789';

function expected(host: string, mode: string, keyVar: string) {
  const bearer = { Authorization: `Bearer \${${keyVar}}` };
  return {
    'zai-vision': { command: 'npx', args: ['-y', '@z_ai/mcp-server'], env: { Z_AI_API_KEY: `\${${keyVar}}`, Z_AI_MODE: mode } },
    'zai-search': { type: 'http', url: `https://${host}/api/mcp/web_search_prime/mcp`, headers: bearer },
    'zai-reader': { type: 'http', url: `https://${host}/api/mcp/web_reader/mcp`, headers: bearer },
    'zai-zread': { type: 'http', url: `https://${host}/api/mcp/zread/mcp`, headers: bearer },
  };
}

describe('glm mcp add zai', () => {
  let sb: Sandbox;
  let settings: string;
  const readJson = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
  const userSettings = async (values: Record<string, unknown>) => writeFile(settings, JSON.stringify(values), { mode: 0o600 });
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' });
    settings = path.join(sb.home, '.config', 'glm-code', 'settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
  });

  it.each([
    ['zai-coding', 'api.z.ai', 'ZAI', 'open.bigmodel.cn', 'bigmodel'],
    ['zai', 'api.z.ai', 'ZAI', 'open.bigmodel.cn', 'bigmodel'],
    ['bigmodel-coding', 'open.bigmodel.cn', 'ZHIPU', 'api.z.ai', 'zai'],
    ['bigmodel', 'open.bigmodel.cn', 'ZHIPU', 'api.z.ai', 'zai'],
  ])('provider %s (GLM_PROVIDER): the servers on %s, the key as ${GLM_API_KEY}, in the project file', async (provider, host, mode, other, flag) => {
    const r = await runGlm(sb, ['mcp', 'add', 'zai', '--scope', 'project'], { env: { GLM_PROVIDER: provider, GLM_API_KEY: KEY } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`on ${host} (from provider ${provider} (GLM_PROVIDER); for ${other} pass --platform ${flag})`);
    expect(r.stdout).toContain('"mcp__zai-search"');
    expect(r.stdout).toContain('They start once you trust this project (glm trust).');
    const file = path.join(sb.repo, '.mcp.json');
    expect(await readJson(file)).toEqual({ mcpServers: expected(host, mode, 'GLM_API_KEY') });
    expect(await readFile(file, 'utf8')).not.toContain(KEY);
  });

  it('follows the provider of the settings file, reads the variable that is set, and --platform picks the other host', async () => {
    await userSettings({ provider: 'bigmodel-coding', permissions: { allow: ['Read'] } });
    const env = { GLM_API_KEY: '', ZHIPUAI_API_KEY: KEY };
    let r = await runGlm(sb, ['mcp', 'add', 'zai'], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`on open.bigmodel.cn (from provider bigmodel-coding (${settings})`);
    expect(r.stdout).toContain('They read your key from ${ZHIPUAI_API_KEY}');
    let user = await readJson(settings);
    expect(user.permissions).toEqual({ allow: ['Read'] });
    expect(user.projects[sb.repo].mcpServers).toEqual(expected('open.bigmodel.cn', 'ZHIPU', 'ZHIPUAI_API_KEY'));

    r = await runGlm(sb, ['mcp', 'add', 'zai', '--platform', 'zai', '--scope', 'user'], { env: { GLM_API_KEY: KEY } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('on api.z.ai (from --platform; for open.bigmodel.cn pass --platform bigmodel)');
    user = await readJson(settings);
    expect(user.mcpServers).toEqual(expected('api.z.ai', 'ZAI', 'GLM_API_KEY'));
    expect(await readFile(settings, 'utf8')).not.toContain(KEY);
  });

  it('says when the variable is not set, and a provider that is not Z.ai gets api.z.ai', async () => {
    const r = await runGlm(sb, ['mcp', 'add', 'zai', '--scope', 'user'], { env: { GLM_API_KEY: '', GLM_PROVIDER: 'openrouter' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain("on api.z.ai (from the default: your provider openrouter is not Z.ai's");
    expect(r.stdout).toContain('GLM_API_KEY is not set now: set it before starting glm');
  });

  it('refuses names the scope already has in one line, exit 2, unless --force', async () => {
    await runGlm(sb, ['mcp', 'add', '--transport', 'http', 'zai-search', 'http://127.0.0.1:9/mcp']);
    const before = await readFile(settings, 'utf8');
    let r = await runGlm(sb, ['mcp', 'add', 'zai']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^glm: zai-search is already in .*settings\.json \(local scope\): pass --force to replace it$/);
    expect(await readFile(settings, 'utf8')).toBe(before);
    r = await runGlm(sb, ['mcp', 'add', 'zai', '--force']);
    expect(r.exitCode).toBe(0);
    expect((await readJson(settings)).projects[sb.repo].mcpServers).toEqual(expected('api.z.ai', 'ZAI', 'GLM_API_KEY'));
  });

  it('glm mcp get shows a server it added (the reference, not the key)', async () => {
    await runGlm(sb, ['mcp', 'add', 'zai', '--scope', 'user']);
    const r = await runGlm(sb, ['mcp', 'get', 'zai-search'], { env: { GLM_API_KEY: '', MCP_TIMEOUT: '2000' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  Scope: user\n  Type: http\n  URL: https://api.z.ai/api/mcp/web_search_prime/mcp\n  Header: Authorization: Bearer ${GLM_API_KEY}\n');
    expect(r.stdout).toContain('  Status: failed: ${GLM_API_KEY} is not set');
  });

  it.each([
    [['mcp', 'add', 'zai', '--platform', 'mars'], /^glm: unknown --platform "mars": use zai \(api\.z\.ai\) or bigmodel \(open\.bigmodel\.cn\)$/],
    [['mcp', 'add', 'other'], /^glm: glm mcp add other needs the command \(after --\) or the URL of the server$/],
    [['mcp', 'add', '--platform', 'zai', 'x', '--', 'y'], /^glm: --platform is for glm mcp add zai only$/],
  ])('glm %j: one line, exit 2, nothing written', async (args, message) => {
    const r = await runGlm(sb, args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(settings)).toBe(false);
  });
});
