// WebSearch per backend: Z.ai's web search API (pay-as-you-go keys) against the fake GLM server, the Coding
// Plan's web search MCP endpoint against a real MCP server over streamable HTTP; on OpenRouter and self-hosted
// servers WebSearch is offered only with a configured search MCP server, through which it then searches.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/types.ts';
import { webSearchBackend, webSearchBackendName, webSearchSource } from '../../src/web-search.ts';
import { mcpServerBackend } from '../../src/web-search-mcp.ts';
import { deniesWholeTool } from '../../src/permissions.ts';
import type { AnyToolDef, ToolSet } from '../../src/tool.ts';
import { webSearchTool } from '../../tools/web-search.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { startFakeSearchMcp, type FakeSearchMcp } from '../support/fake-zai-search-mcp.ts';
import { makeSandbox, runGlm } from '../support/run-glm.ts';
import { makeCtx } from '../tools/helpers.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const error1113 = JSON.parse(readFileSync(new URL('../model/fixtures/zai-error-1113.json', import.meta.url), 'utf8'));

let fake: FakeGlm;
let mcp: FakeSearchMcp;
beforeAll(async () => {
  fake = await startFakeGlm();
  mcp = await startFakeSearchMcp(fixture('zai-web-search-response.json').search_result);
});
afterAll(async () => {
  await fake.close();
  await mcp.close();
});
beforeEach(() => fake.reset());

const config = (over: Partial<Config>) => ({ provider: 'zai', baseURL: fake.url, apiKey: 'test-key-not-secret', cwd: process.cwd(), ...over }) as Config;
const search = (backend: ReturnType<typeof webSearchBackend>, args: Record<string, unknown> = {}) =>
  webSearchTool.execute({ query: 'vitest 5 release notes', ...args }, makeCtx(process.cwd(), { webSearch: backend && ((q, s) => backend.search(q, s)) }));

describe('WebSearch backends', () => {
  it('pay-as-you-go: POSTs the documented request to {base}/web_search with the key and lists titles, URLs and snippets', async () => {
    fake.replySearch({ status: 200, body: fixture('zai-web-search-response.json') });
    const r = await search(webSearchBackend(config({})));
    expect(fake.searches[0].body).toEqual(fixture('zai-web-search-request.json'));
    expect(fake.searches[0].headers.authorization).toBe('Bearer test-key-not-secret');
    expect(r.output).toContain('1. Vitest 5.0 is out!\n   https://vitest.dev/blog/vitest-5 (2026-09-01)\n   Vitest 5 brings browser mode');
    expect(r.output).toContain('2. Releases · vitest-dev/vitest');
    expect(webSearchBackendName({ provider: 'zai' })).toBe('web search API');
  });

  it('allowed_domains and blocked_domains filter the results', async () => {
    fake.replySearch({ status: 200, body: fixture('zai-web-search-response.json') }, { status: 200, body: fixture('zai-web-search-response.json') });
    const only = await search(webSearchBackend(config({})), { allowed_domains: ['github.com'] });
    expect(only.output).not.toContain('vitest.dev');
    expect(only.output).toContain('github.com/vitest-dev');
    const without = await search(webSearchBackend(config({})), { blocked_domains: ['github.com'] });
    expect(without.output).not.toContain('github.com');
  });

  it('errors are one line: 1113 (a Coding Plan key on the API) names the fix; empty results say so', async () => {
    fake.replySearch({ status: 429, body: error1113 });
    const r = await search(webSearchBackend(config({})));
    expect(r.isError).toBe(true);
    expect(r.output).toBe('WebSearch: the web search API refused this key (1113: Insufficient balance or no resource package. Please recharge.); a GLM Coding Plan key searches through its plan\'s MCP endpoint: use provider zai-coding or bigmodel-coding.');
    fake.replySearch({ status: 200, body: { search_result: [] } });
    expect((await search(webSearchBackend(config({})))).output).toBe('No results for "vitest 5 release notes". Try other words or fewer domain filters.');
  });

  it('Coding Plan: searches through the plan\'s web search MCP endpoint with the key as a Bearer header', async () => {
    const backend = webSearchBackend(config({ provider: 'zai-coding', baseURL: `${mcp.origin}/api/coding/paas/v4` }));
    try {
      const r = await search(backend);
      expect(r.isError).toBeFalsy();
      expect(mcp.queries).toEqual(['vitest 5 release notes']);
      expect(mcp.auth.every((a) => a === 'Bearer test-key-not-secret')).toBe(true);
      expect(r.output).toContain('1. Vitest 5.0 is out!\n   https://vitest.dev/blog/vitest-5');
      expect(fake.searches).toHaveLength(0);
    } finally {
      await backend?.close();
    }
    expect(webSearchBackendName({ provider: 'zai-coding' })).toBe('web search MCP endpoint of the Coding Plan');
  });

  it('OpenRouter and self-hosted servers have no backend of their own; the source says what to configure', () => {
    expect(webSearchBackend(config({ provider: 'openrouter' }))).toBeUndefined();
    expect(webSearchBackend(config({ provider: 'vllm' }))).toBeUndefined();
    expect(webSearchSource(config({ provider: 'openrouter' }))).toEqual({ kind: 'none', hint: expect.stringMatching(/^openrouter has no search API; configure a search MCP server with "search" in its name/) });
    const withServer = config({ provider: 'vllm', mcpServers: [{ name: 'docs', scope: 'user', def: { type: 'stdio', command: 'x', args: [], env: {} } }, { name: 'brave-search', scope: 'user', def: { type: 'stdio', command: 'x', args: [], env: {} } }] });
    expect(webSearchSource(withServer)).toEqual({ kind: 'mcp', name: 'the "brave-search" MCP server', server: 'brave-search' });
  });

  const offered = (body: { tools?: { function: { name: string } }[] }) => (body.tools ?? []).some((t) => t.function.name === 'WebSearch');

  it.each([
    ['zai', true, { GLM_PROVIDER: 'zai' }],
    ['zai-coding', true, { GLM_PROVIDER: 'zai-coding' }],
    ['openrouter', false, { GLM_PROVIDER: 'openrouter', OPENROUTER_API_KEY: 'or-key-not-secret' }],
    ['vllm (self-hosted)', false, { GLM_PROVIDER: 'vllm' }],
  ])('on %s without a search MCP server, WebSearch is offered: %s', async (_name, expected, env) => {
    const sb = await makeSandbox({}, fake.url);
    let seen: boolean | undefined;
    fake.reply((body) => {
      seen = offered(body);
      return text('ok');
    });
    const r = await runGlm(sb, ['-p', 'hi'], { env });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(seen).toBe(expected);
  });

  it('OpenRouter with a configured search MCP server: WebSearch is offered and searches through that server', async () => {
    const sb = await makeSandbox({}, fake.url);
    const servers = JSON.stringify({ mcpServers: { 'zai-search': { type: 'http', url: `${mcp.origin}/api/mcp/web_search_prime/mcp`, headers: { Authorization: 'Bearer test-key-not-secret' } } } });
    const before = mcp.queries.length;
    fake.reply(
      (body) => {
        expect(offered(body)).toBe(true);
        return toolCalls([{ name: 'WebSearch', arguments: { query: 'vitest browser mode' } }]);
      },
      (body) => {
        expect(body.messages.at(-1).content).toContain('1. Vitest 5.0 is out!\n   https://vitest.dev/blog/vitest-5');
        return text('Browser mode left beta.');
      },
    );
    const env = { GLM_PROVIDER: 'openrouter', OPENROUTER_API_KEY: 'or-key-not-secret' };
    const r = await runGlm(sb, ['-p', 'what is new in vitest 5?', '--mcp-config', servers, '--allowedTools', 'WebSearch'], { env });
    expect(r.stdout, String(r.stderr)).toContain('Browser mode left beta.');
    expect(mcp.queries.slice(before)).toEqual(['vitest browser mode']);
    expect(fake.searches).toHaveLength(0);
  });

  it('from glm -p: denied without a rule in headless runs, runs with --allowedTools WebSearch', async () => {
    const sb = await makeSandbox({}, fake.url);
    fake.reply(toolCalls([{ name: 'WebSearch', arguments: { query: 'vitest 5 release notes' } }]), text('not allowed'));
    const denied = await runGlm(sb, ['-p', 'what is new in vitest 5?']);
    expect(denied.stderr).toContain('--allowedTools "WebSearch"');
    expect(fake.searches).toHaveLength(0);
    fake.replySearch({ status: 200, body: fixture('zai-web-search-response.json') });
    fake.reply(toolCalls([{ name: 'WebSearch', arguments: { query: 'vitest 5 release notes' } }]), (body) => {
      expect(body.messages.at(-1).content).toContain('Vitest 5.0 is out!');
      return text('Browser mode left beta.');
    });
    const r = await runGlm(sb, ['-p', 'what is new in vitest 5?', '--allowedTools', 'WebSearch']);
    expect(r.stdout).toContain('Browser mode left beta.');
    expect(fake.searches).toHaveLength(1);
  });

  describe('through a search MCP server', () => {
    const calls: Record<string, unknown>[] = [];
    const def = { name: 'mcp__brave-search__brave_web_search', kind: 'mcp', execute: async (args: Record<string, unknown>) => (calls.push(args), { output: 'Title: Vitest 5\nURL: https://vitest.dev/blog/vitest-5' }) } as unknown as AnyToolDef;
    const tools: ToolSet = { names: [def.name], schemas: [{ name: def.name, description: '', parameters: { type: 'object', properties: { query: { type: 'string' }, count: { type: 'number' } }, required: ['query'] } }], load: async () => [def] };

    it("passes the query in the argument the tool's schema names, and its text through as it is", async () => {
      const r = await search(mcpServerBackend('brave-search', tools, process.cwd()), { allowed_domains: ['vitest.dev'] });
      expect(calls.at(-1)).toEqual({ query: 'vitest 5 release notes' });
      expect(r.output).toBe('Results for "vitest 5 release notes" (the domain filters could not be applied to this search server\'s answer):\n\nTitle: Vitest 5\nURL: https://vitest.dev/blog/vitest-5');
    });

    it('refuses when a deny rule covers the server\'s tool (WebSearch is no way around it)', async () => {
      const before = calls.length;
      const r = await search(mcpServerBackend('brave-search', tools, process.cwd(), (t) => t.startsWith('mcp__brave-search__')));
      expect(r).toMatchObject({ isError: true, output: 'WebSearch: a deny rule covers mcp__brave-search__brave_web_search, so WebSearch does not search through it.' });
      expect(calls.length).toBe(before);
      // The session's predicate: a deny rule naming the server or the tool, not one with a specifier.
      expect(deniesWholeTool(['mcp__brave-search'], 'mcp__brave-search__brave_web_search')).toBe(true);
      expect(deniesWholeTool(['mcp__brave-search__brave_web_search'], 'mcp__brave-search__brave_web_search')).toBe(true);
      expect(deniesWholeTool(['mcp__brave', 'Bash(rm:*)', 'bad rule('], 'mcp__brave-search__brave_web_search')).toBe(false);
    });
  });
});
