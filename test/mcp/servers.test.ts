// McpServers against real servers as child processes: server-everything over stdio and streamable HTTP,
// server-filesystem, one that exits at start and one that never answers; calls, list_changed, abort, logs, the
// environment a stdio server gets, and no process left after close.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServers } from '../../src/mcp/servers.ts';
import { serverEnv } from '../../src/command-env.ts';
import type { AnyToolDef } from '../../src/tool.ts';
import type { McpServerEntry } from '../../src/types.ts';
import { FILESYSTEM, NODE, badServers, everythingStdio, generatedStdio, marker, orphansOf, processesWith, startEverythingHttp } from '../support/mcp-servers.ts';

const KEY = 'sk-mcp-test-SECRET-0123456789';
const vars = { ...process.env, GLM_API_KEY: KEY, DOCS_DIR: '' } as NodeJS.ProcessEnv;
let open: McpServers[] = [];
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});

function start(entries: McpServerEntry[], timeoutMs = 15_000) {
  const servers = new McpServers(entries, { cwd: os.tmpdir(), serverEnv: serverEnv({ apiKey: KEY }, vars), vars, timeoutMs });
  open.push(servers);
  return servers;
}

const stdio = (name: string, def: { command: string; args: string[] }, env: Record<string, string> = {}): McpServerEntry => ({
  name,
  scope: 'user',
  def: { type: 'stdio', ...def, env },
});

async function call(servers: McpServers, name: string, args: Record<string, unknown>, signal = new AbortController().signal) {
  const tool = (await servers.toolSet.load()).find((t: AnyToolDef) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return tool.execute(args, { cwd: os.tmpdir(), signal, state: undefined as never });
}

describe('server-everything over stdio', () => {
  it('lists its tools with clean schemas, calls them, keeps provider keys out of its environment, logs stderr and leaves no process', async () => {
    const mark = marker();
    const servers = start([stdio('everything', everythingStdio(mark), { GREETING: 'hi' })]);
    await servers.ready();
    expect(servers.statuses()).toEqual([{ name: 'everything', status: 'connected', toolCount: expect.any(Number) }]);
    const names = servers.toolSet.names.filter((n) => n.startsWith('mcp__'));
    expect(names).toEqual(expect.arrayContaining(['mcp__everything__echo', 'mcp__everything__get-sum', 'mcp__everything__get-tiny-image']));
    expect(names).toEqual([...names].sort());
    // It offers resources, so the two resource tools come after its tools.
    expect(servers.toolSet.names.slice(-2)).toEqual(['ListMcpResources', 'ReadMcpResource']);
    for (const s of servers.toolSet.schemas) expect(JSON.stringify(s.parameters)).not.toContain('$schema');

    expect(await call(servers, 'mcp__everything__echo', { message: 'hello' })).toEqual({ output: 'Echo: hello', isError: false });
    expect((await call(servers, 'mcp__everything__get-sum', { a: 2, b: 40 })).output).toContain('42');
    const tiny = await call(servers, 'mcp__everything__get-tiny-image', {});
    expect(tiny.output).toMatch(/\[image: image\/png, [\d.]+ (bytes|KB), 20×20; it follows in the next message as "everything get-tiny-image image 1"\]/);
    expect(tiny.images).toMatchObject([{ mediaType: 'image/png', width: 20, height: 20 }]);
    const env = (await call(servers, 'mcp__everything__get-env', {})).output;
    expect(env).toContain('"GREETING": "hi"');
    expect(env).toContain('"PATH"');
    expect(env).not.toContain(KEY);
    expect(env).not.toContain('GLM_API_KEY');
    const bad = await call(servers, 'mcp__everything__get-sum', { a: 'x' });
    expect(bad.isError).toBe(true);

    const logs = await mkdtemp(path.join(os.tmpdir(), 'glm-mcp-logs-'));
    servers.logTo(logs);
    expect(await orphansOf(mark, 0)).toHaveLength(1);
    await servers.close();
    expect(await orphansOf(mark)).toEqual([]);
    expect(await readFile(path.join(logs, 'everything.log'), 'utf8')).toBeDefined();
  });

  it('an abort cancels a long call at once', async () => {
    const servers = start([stdio('everything', everythingStdio(marker()))]);
    await servers.ready();
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(call(servers, 'mcp__everything__trigger-long-running-operation', { duration: 20, steps: 5 }, controller.signal)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
    // The connection is still good.
    expect((await call(servers, 'mcp__everything__echo', { message: 'again' })).output).toBe('Echo: again');
  });
});

describe('resources and prompts of server-everything', () => {
  it('ListMcpResources lists its documents, ReadMcpResource reads one, a wrong server is named; its prompts take arguments', async () => {
    const servers = start([stdio('everything', everythingStdio(marker()))]);
    await servers.ready();
    const listed = (await call(servers, 'ListMcpResources', {})).output;
    const uri = /everything: (demo:\/\/resource\/static\/document\/\S+\.md)/.exec(listed)?.[1];
    expect(uri).toBeDefined();
    const read = await call(servers, 'ReadMcpResource', { server: 'everything', uri });
    expect(read.output).toMatch(new RegExp(`^\\[resource ${uri!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(text/markdown\\)\\]\n#`));
    await expect(call(servers, 'ListMcpResources', { server: 'nope' })).rejects.toThrow('No connected MCP server "nope" offers resources (these do: everything).');

    const [offer] = servers.offering('prompts');
    expect(offer!.name).toBe('everything');
    const prompts = await offer!.conn.prompts();
    expect(prompts.map((p) => p.name)).toContain('args-prompt');
    const messages = await offer!.conn.getPrompt('args-prompt', { city: 'Paris' });
    expect(messages).toEqual([{ role: 'user', content: { type: 'text', text: "What's weather in Paris?" } }]);
  });
});

describe('tools/list_changed', () => {
  it('a tool the server adds while running is offered before the next request', async () => {
    const servers = start([stdio('gen', generatedStdio(marker(), 2))]);
    await servers.ready();
    expect(servers.toolSet.names).not.toContain('mcp__gen__grown_1');
    expect((await call(servers, 'mcp__gen__grow', {})).output).toBe('added grown_1');
    const until = Date.now() + 3000;
    while (!servers.toolSet.names.includes('mcp__gen__grown_1') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(servers.toolSet.names).toContain('mcp__gen__grown_1');
    expect(servers.statuses()[0]!.toolCount).toBe(6);
    expect((await call(servers, 'mcp__gen__grown_1', {})).output).toBe('grown_1 ok: {}');
  });
});

describe('other transports and servers', () => {
  it('server-everything over streamable HTTP, with ${VAR} in the URL and headers', async () => {
    const mark = marker();
    const http = await startEverythingHttp(mark);
    try {
      const url = http.url.replace('127.0.0.1', '${MCP_HOST:-127.0.0.1}');
      const servers = start([{ name: 'remote', scope: 'flag', def: { type: 'http', url, headers: { 'X-Test': '${USER:-someone}' } } }]);
      await servers.ready();
      expect(servers.statuses()[0]).toMatchObject({ status: 'connected' });
      expect(await call(servers, 'mcp__remote__echo', { message: 'over http' })).toEqual({ output: 'Echo: over http', isError: false });
      await servers.close();
    } finally {
      await http.stop();
    }
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('server-filesystem reads a file in the folder it was given', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-mcp-fs-'));
    await writeFile(path.join(dir, 'note.txt'), 'filesystem says hi');
    const servers = start([stdio('fs', { command: NODE, args: [FILESYSTEM, dir] })]);
    await servers.ready();
    expect(servers.toolSet.names).toContain('mcp__fs__read_text_file');
    expect((await call(servers, 'mcp__fs__read_text_file', { path: path.join(dir, 'note.txt') })).output).toContain('filesystem says hi');
  });
});

describe('servers that fail', () => {
  it('one that exits at start and one that never answers are failed within the timeout (with what they said); the rest work; nothing is left running', async () => {
    const mark = marker();
    const bad = await badServers(mark);
    const servers = start(
      [stdio('exits', bad.exitsAtStart), stdio('silent', bad.neverAnswers), stdio('good', everythingStdio(mark)), stdio('unset', { command: '${NO_SUCH_VAR}', args: [] })],
      6000, // server-everything can take seconds to start on a busy machine
    );
    const started = Date.now();
    await servers.ready();
    expect(Date.now() - started).toBeLessThan(8000);
    const byName = Object.fromEntries(servers.statuses().map((s) => [s.name, s]));
    expect(byName.exits).toMatchObject({ status: 'failed', error: expect.stringContaining('config missing: set DOCS_TOKEN') });
    expect(byName.silent).toMatchObject({ status: 'failed', error: 'did not start within 6.0 s' });
    expect(byName.unset).toMatchObject({ status: 'failed', error: expect.stringContaining('${NO_SUCH_VAR} is not set') });
    expect(byName.good).toMatchObject({ status: 'connected' });
    expect(servers.toolSet.names.filter((n) => !n.endsWith('McpResources') && !n.endsWith('McpResource')).every((n) => n.startsWith('mcp__good__'))).toBe(true);
    await servers.close();
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('close() while servers are still starting ends them too', async () => {
    const mark = marker();
    const bad = await badServers(mark);
    const servers = start([stdio('silent', bad.neverAnswers), stdio('good', everythingStdio(mark))], 20_000);
    await new Promise((r) => setTimeout(r, 100));
    await servers.close();
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('reconnect() replaces a server still starting (its process ended) and tells listeners only of the new one', async () => {
    const mark = marker();
    const bad = await badServers(mark);
    const servers = start([stdio('silent', bad.neverAnswers)], 1500);
    const heard: string[] = [];
    servers.onChange((s) => heard.push(`${s.name} ${s.status}`));
    await new Promise((r) => setTimeout(r, 100));
    const [before] = await processesWith(mark);
    expect(before).toBeDefined();
    const state = await servers.reconnect('silent');
    expect(state).toMatchObject({ name: 'silent', status: 'failed', error: 'did not start within 1.5 s' });
    expect(heard).toEqual(['silent failed']);
    expect(await processesWith(mark)).not.toContain(before);
    expect(await servers.reconnect('nope')).toBeUndefined();
    await servers.close();
    expect(await orphansOf(mark)).toEqual([]);
  });
});
