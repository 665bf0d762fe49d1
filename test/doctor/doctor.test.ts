// `glm doctor` end to end: the built binary against the fake GLM server in several server profiles (a good Z.ai
// endpoint, a vLLM without tool or reasoning parsers, llama.cpp with <think> in content, a 1113 key, a 401),
// checking the checklist, the JSON form, the exit code, and that the key is never printed.
import http from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { error, startFakeGlm, text, toolCalls, type FakeGlm, type ReplyStep } from '../support/fake-glm-server.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
let sb: Sandbox;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(async () => {
  fake.reset();
  sb = await makeSandbox({}, fake.url);
});

/** The doctor sends two requests in parallel: answer each by what it asks (tools or not). */
function answer(textProbe: ReplyStep, toolProbe: ReplyStep): void {
  const step = (body: { tools?: unknown[] }) => (body.tools?.length ? toolProbe : textProbe);
  fake.reply(step, step);
}

interface JsonCheck {
  id: string;
  status: string;
  detail: string;
  fix?: string;
}

async function doctorJson(args: string[] = [], env: Record<string, string> = {}) {
  const r = await runGlm(sb, ['doctor', '--output-format', 'json', ...args], { env });
  const result = JSON.parse(String(r.stdout));
  const check = (id: string): JsonCheck => result.checks.find((c: JsonCheck) => c.id === id);
  return { r, result, check };
}

describe('glm doctor', () => {
  it('a good Z.ai endpoint: every check passes, exit 0, as a readable checklist', async () => {
    answer(text('OK', { reasoning: 'The user wants OK.' }), toolCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }]));
    const r = await runGlm(sb, ['doctor', '--model', 'glm-4.7']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const out = String(r.stdout);
    expect(out).toMatch(/^glm doctor: zai · glm-4\.7 · http:\/\/127\.0\.0\.1:\d+\/api\/paas\/v4\n/);
    expect(out).toMatch(/✓ API key +set and accepted/);
    expect(out).toMatch(/✓ Reasoning +arrives in reasoning_content/);
    expect(out).toMatch(/✓ Tool calls +structured tool_calls \(get_weather \{"city":"Paris"\}\)/);
    expect(out).toMatch(/✓ Thinking toggle +honoured/);
    expect(out).toMatch(/✓ Context window +204,800 tokens/);
    expect(out).toMatch(/✓ Sandbox +bubblewrap works: commands write only \S+\/repo and a private \/tmp, no network, no unix sockets/);
    expect(out).toMatch(/✓ Images +glm-4\.7 is text-only: images are described by glm-5v-turbo \(vision routing/);
    expect(out).toMatch(/✓ WebSearch +Z\.ai web search API \(http:\/\/127\.0\.0\.1:\d+\/api\/paas\/v4\/web_search\)/);
    expect(out).toMatch(/All checks passed/);
    expect(out).not.toContain('test-key-not-secret');
    // The probes are what glm-code sends: thinking on for the text probe, off for the tool probe.
    const bodies = fake.requests;
    expect(bodies.find((b) => !b.tools)?.thinking).toEqual({ type: 'enabled', clear_thinking: false });
    expect(bodies.find((b) => b.tools)?.thinking).toEqual({ type: 'disabled' });
    expect(fake.violations).toEqual([]);
  });

  it('JSON output lists every check', async () => {
    answer(text('OK', { reasoning: 'Fine.' }), toolCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }]));
    const { r, result } = await doctorJson(['--model', 'glm-4.7']);
    expect(r.exitCode).toBe(0);
    expect(result).toMatchObject({ ok: true, provider: 'zai', dialect: 'zai', model: 'glm-4.7', durationMs: expect.any(Number) });
    expect(result.checks.map((c: JsonCheck) => [c.id, c.status])).toEqual([
      ['endpoint', 'pass'],
      ['key', 'pass'],
      ['model', 'pass'],
      ['streaming', 'pass'],
      ['reasoning', 'pass'],
      ['tools', 'pass'],
      ['thinking', 'pass'],
      ['context', 'pass'],
      ['sandbox', 'pass'],
      ['agents', 'pass'],
      ['vision', 'pass'],
      ['websearch', 'pass'],
    ]);
    expect(String(r.stdout)).not.toContain('test-key-not-secret');
  });

  it('vLLM leaking raw markup and ignoring the thinking switch: names the flags to fix, exit 1', async () => {
    const markup = '<tool_call>get_weather\n<arg_key>city</arg_key>\n<arg_value>Paris</arg_value>\n</tool_call>';
    answer(text('<think>Say OK.</think>OK', { profile: 'vllm' }), text(markup, { profile: 'vllm', reasoning: 'Still thinking.' }));
    const { r, result, check } = await doctorJson(['--provider', 'vllm', '--model', 'zai-org/GLM-4.6'], { GLM_BASE_URL: fake.v1Url });
    expect(r.exitCode).toBe(1);
    expect(result.ok).toBe(false);
    expect(check('tools')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('raw <tool_call> markup in content'),
      fix: 'restart vLLM with --tool-call-parser glm45 --reasoning-parser glm45 --enable-auto-tool-choice',
    });
    expect(check('reasoning')).toMatchObject({ status: 'warn', fix: 'restart vLLM with --reasoning-parser glm45' });
    expect(check('thinking')).toMatchObject({ status: 'fail', detail: 'reasoning still arrived with thinking off' });
    expect(fake.requests.find((b) => b.tools)?.chat_template_kwargs).toEqual({ enable_thinking: false, clear_thinking: false });
  });

  it('GLM-4.7 on SGLang gets the glm47 parser; llama.cpp with <think> in content gets --reasoning-format', async () => {
    const markup = '<tool_call>get_weather<arg_key>city</arg_key><arg_value>Paris</arg_value></tool_call>';
    answer(text('OK', { profile: 'vllm', reasoning: 'r' }), text(markup, { profile: 'vllm' }));
    const sglang = await doctorJson(['--provider', 'sglang', '--model', 'glm-4.7'], { GLM_BASE_URL: fake.v1Url });
    expect(sglang.check('tools').fix).toBe('restart SGLang with --tool-call-parser glm47 --reasoning-parser glm45');

    fake.reset();
    answer(text('<think>Say OK.</think>OK', { profile: 'vllm' }), toolCalls([{ name: 'get_weather', arguments: '{"city": "Paris"}' }], { profile: 'vllm' }));
    const llama = await doctorJson(['--provider', 'llamacpp', '--model', 'glm-4.5-air'], { GLM_BASE_URL: fake.v1Url });
    expect(llama.r.exitCode).toBe(0);
    expect(llama.check('reasoning')).toMatchObject({ status: 'warn', detail: expect.stringContaining('<think>'), fix: expect.stringContaining('--reasoning-format deepseek') });
    expect(llama.check('tools').status).toBe('pass');
    expect(llama.check('key').detail).toBe('set and accepted');
  });

  it('a pay-as-you-go key on the Coding Plan (1113): the key check fails and says which provider to use', async () => {
    const body = { error: { code: '1113', message: 'Insufficient balance or no resource package. Please recharge.' } };
    answer(error(429, body), error(429, body));
    const { r, check } = await doctorJson(['--provider', 'zai-coding'], { GLM_BASE_URL: fake.codingUrl });
    expect(r.exitCode).toBe(1);
    expect(check('key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('1113') });
    expect(check('key').detail).toContain('--provider zai');
    expect(check('tools').status).toBe('skip');
    expect(fake.requests).toHaveLength(2); // no retries: doctor reports, it does not insist
  });

  it('a rejected key (401): fail with what to check, never the key itself', async () => {
    const body = { error: { code: '1002', message: 'Authorization Token非法，请确认Authorization Token正确传递。' } };
    answer(error(401, body), error(401, body));
    const r = await runGlm(sb, ['doctor']);
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(/✗ API key +set, rejected: Z\.ai error 1002/);
    expect(String(r.stdout)).toMatch(/fix: check the key for this provider \(GLM_API_KEY\)/);
    expect(String(r.stdout) + String(r.stderr)).not.toContain('test-key-not-secret');
  });

  it("a rejected OpenRouter key names OpenRouter's variable, not GLM_API_KEY", async () => {
    const body = { error: { code: 401, message: 'No auth credentials found' } };
    answer(error(401, body), error(401, body));
    const r = await runGlm(sb, ['doctor', '--provider', 'openrouter'], { env: { OPENROUTER_API_KEY: 'or-test-key', GLM_BASE_URL: fake.v1Url } });
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).toMatch(/fix: check the key for this provider \(OPENROUTER_API_KEY\)/);
  });

  it('an unreachable server: the endpoint fails, the rest is skipped, exit 1', async () => {
    const closed = http.createServer(); // a port nothing listens on (port 1 would be a blocked port, see below)
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const r = await runGlm(sb, ['doctor', '--provider', 'vllm', '--output-format', 'json'], { env: { GLM_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    expect(r.exitCode).toBe(1);
    const result = JSON.parse(String(r.stdout));
    expect(result.checks[0]).toMatchObject({ id: 'endpoint', status: 'fail', fix: expect.stringContaining('start the server') });
    // Between the endpoint and the last ones (context window, sandbox, agents, images, WebSearch: none needs the endpoint).
    expect(result.checks.filter((c: JsonCheck) => !['agents', 'vision', 'websearch'].includes(c.id)).slice(1, -2).every((c: JsonCheck) => c.status === 'skip')).toBe(true);
  });

  it('a server that never answers: fails within --timeout and says so', async () => {
    const silent = http.createServer(() => {}); // accepts, never responds
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { r, check } = await doctorJson(['--provider', 'vllm', '--timeout', '1'], { GLM_BASE_URL: `http://127.0.0.1:${port}/v1` });
    silent.closeAllConnections();
    silent.close();
    expect(r.exitCode).toBe(1);
    expect(check('endpoint')).toMatchObject({ status: 'fail', detail: expect.stringContaining('no answer before the time limit'), fix: expect.stringContaining('--timeout') });
  });

  it('configuration errors exit 2 with one line, before any request', async () => {
    for (const [args, env] of [
      [['doctor', '--provider', 'nope'], {}],
      [['doctor', '--output-format', 'xml'], {}],
    ] as [string[], Record<string, string>][]) {
      const r = await runGlm(sb, args, { env });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(String(r.stderr).trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(fake.requests).toHaveLength(0);
  });
});

describe('glm doctor on images and WebSearch (no endpoint needed)', () => {
  /** A port nothing listens on: the endpoint fails at once, the images and WebSearch lines are still said. */
  async function deadUrl(): Promise<string> {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    return `http://127.0.0.1:${port}/v1`;
  }

  it('a vision model is used directly; the Coding Plan searches through its MCP endpoint', async () => {
    const { check } = await doctorJson(['--provider', 'zai-coding', '--model', 'glm-4.6v'], { GLM_BASE_URL: await deadUrl() });
    expect(check('vision')).toMatchObject({ status: 'pass', detail: 'glm-4.6v takes images itself' });
    expect(check('websearch')).toMatchObject({ status: 'pass', detail: expect.stringMatching(/^the Coding Plan's web search MCP endpoint \(http:\/\/127\.0\.0\.1:\d+\/api\/mcp\/web_search_prime\/mcp\)/) });
  });

  it('OpenRouter: routes images to its GLM-5V-Turbo id; no search server means no WebSearch, and says what to set', async () => {
    const r = await runGlm(sb, ['doctor', '--provider', 'openrouter', '--model', 'glm-5.1'], { env: { GLM_BASE_URL: await deadUrl(), OPENROUTER_API_KEY: 'or-key-not-secret' } });
    const out = String(r.stdout);
    expect(out).toMatch(/✓ Images +z-ai\/glm-5\.1 is text-only: images are described by z-ai\/glm-5v-turbo/);
    expect(out).toMatch(/- WebSearch +none, so WebSearch is not offered: openrouter has no search API; configure a search MCP server with "search" in its name/);
  });

  it('self-hosted: no vision model is a warning with the setting to use; a configured search MCP server is the backend', async () => {
    const settings = path.join(sb.home, '.config', 'glm-code', 'settings.json');
    await mkdir(path.dirname(settings), { recursive: true });
    await writeFile(settings, JSON.stringify({ mcpServers: { 'brave-search': { command: 'npx', args: ['-y', '@modelcontextprotocol/server-brave-search'] } } }));
    const { r, check } = await doctorJson(['--provider', 'vllm', '--model', 'zai-org/GLM-4.6'], { GLM_BASE_URL: await deadUrl() });
    expect(check('vision')).toMatchObject({ status: 'warn', detail: 'zai-org/GLM-4.6 is text-only and no vision model is set: images are left out (the model is told)', fix: expect.stringContaining('set "visionModel"') });
    expect(check('websearch')).toMatchObject({ status: 'pass', detail: 'through the "brave-search" MCP server (its tool with "search" in its name)' });
    expect(r.exitCode).toBe(1); // the endpoint, not these lines
  });
});

describe('glm doctor when nothing works', () => {
  it('no API key: the checklist (JSON and text) shows the key check failed with the fix, exit 1, no request', async () => {
    const { r, result, check } = await doctorJson([], { GLM_API_KEY: '' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
    expect(result).toMatchObject({ ok: false, provider: null, baseURL: null });
    expect(check('key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('No API key for provider zai: set GLM_API_KEY') });
    expect(check('endpoint').status).toBe('skip');
    expect(result.checks.map((c: JsonCheck) => c.id)).toEqual(['endpoint', 'key', 'model', 'streaming', 'reasoning', 'tools', 'thinking', 'context']);
    const text = await runGlm(sb, ['doctor'], { env: { GLM_API_KEY: '' } });
    expect(text.exitCode).toBe(1);
    expect(String(text.stdout)).toMatch(/✗ API key +No API key for provider zai: set GLM_API_KEY/);
    expect(String(text.stdout)).toMatch(/1 check failed/);
    expect(fake.requests).toHaveLength(0);
  });

  it('a bad base URL: the endpoint check fails naming it, exit 1', async () => {
    const { r, result, check } = await doctorJson(['--provider', 'vllm'], { GLM_BASE_URL: 'localhost:8000/v1' });
    expect(r.exitCode).toBe(1);
    expect(result.ok).toBe(false);
    expect(check('endpoint')).toMatchObject({ status: 'fail', detail: expect.stringContaining('Invalid base URL "localhost:8000/v1" (GLM_BASE_URL)') });
    expect(result.checks.slice(1).every((c: JsonCheck) => c.status === 'skip')).toBe(true);
  });

  it("a port Node's fetch refuses (6000) is named as a blocked port, with the fix", async () => {
    const { r, check } = await doctorJson(['--provider', 'vllm'], { GLM_BASE_URL: 'http://127.0.0.1:6000/v1' });
    expect(r.exitCode).toBe(1);
    expect(check('endpoint')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('port 6000 is a blocked port'),
      fix: expect.stringContaining('serve on another port'),
    });
  });
});

describe('glm doctor on a server that lists its models (vLLM /v1/models)', () => {
  /** The fake GLM server behind a front that answers GET /v1/models like vLLM. */
  async function withModels(models: object[]): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(async (req, res) => {
      if (req.method === 'GET' && req.url === '/v1/models') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end(JSON.stringify({ object: 'list', data: models }));
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const upstream = await fetch(`http://127.0.0.1:${fake.port}${req.url}`, { method: req.method, headers: { 'Content-Type': 'application/json' }, body: Buffer.concat(chunks) });
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  const good = () => answer(text('OK', { profile: 'vllm', reasoning: 'r' }), toolCalls([{ name: 'get_weather', arguments: { city: 'Paris' } }], { profile: 'vllm' }));

  it("reports the server's context limit when it is below the model table's", async () => {
    const front = await withModels([{ id: 'glm-4.6', object: 'model', max_model_len: 32768 }]);
    good();
    const { r, check } = await doctorJson(['--provider', 'vllm', '--model', 'glm-4.6'], { GLM_BASE_URL: front.url });
    await front.close();
    expect(r.exitCode).toBe(0);
    expect(check('model').status).toBe('pass');
    expect(check('context')).toMatchObject({ status: 'warn', detail: 'the server allows 32,768 tokens, less than the 204,800 glm-code plans for glm-4.6', fix: 'set "contextWindow": 32768 in ~/.config/glm-code/settings.json (or, in a project you trust, .glm/settings.json or .glm/settings.local.json) so glm-code compacts in time, or start the server with a larger --max-model-len' });
  });

  it('a model name the server does not serve: fail, naming the ones it does', async () => {
    const front = await withModels([{ id: 'zai-org/GLM-4.7-FP8', object: 'model', max_model_len: 202752 }]);
    good();
    const { r, check } = await doctorJson(['--provider', 'vllm', '--model', 'glm-4.7'], { GLM_BASE_URL: front.url });
    await front.close();
    expect(r.exitCode).toBe(1);
    expect(check('model')).toMatchObject({ status: 'fail', fix: 'pass --model zai-org/GLM-4.7-FP8 (served: zai-org/GLM-4.7-FP8)' });
  });
});
