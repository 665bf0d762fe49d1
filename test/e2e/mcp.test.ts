// End to end: the built `glm -p` with real MCP servers (server-everything over stdio) and the fake GLM server:
// the model calls MCP tools that a rule allows and gets their results, without a rule they are denied, an
// untrusted project's .mcp.json starts nothing, failing servers are reported and the run goes on, and no server
// process is left after any run.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { badServers, everythingStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const lastContent = (body: { messages: { content: string }[] }) => body.messages.at(-1)?.content ?? '';
const mcpConfig = (servers: Record<string, unknown>) => JSON.stringify({ mcpServers: servers });

describe('glm -p with MCP servers', () => {
  let sb: Sandbox;
  let mark: string;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    mark = marker();
  });

  it('calls mcp__everything__echo and get-sum when --allowedTools mcp__everything allows them; the results reach the model', async () => {
    fake.reply(
      toolCalls([{ name: 'mcp__everything__echo', arguments: { message: 'ping from glm' } }]),
      (body) => {
        expect(lastContent(body)).toBe('Echo: ping from glm');
        return toolCalls([{ name: 'mcp__everything__get-sum', arguments: { a: 19, b: 23 } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('42');
        return text('The sum is 42.');
      },
    );
    const config = mcpConfig({ everything: everythingStdio(mark) });
    const r = await runGlm(sb, ['-p', 'use the tools', '--mcp-config', config, '--allowedTools', 'mcp__everything', '--output-format', 'stream-json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(fake.requests).toHaveLength(3);
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'system', subtype: 'init', mcp_servers: [{ name: 'everything', status: 'connected' }] });
    expect(lines[0].tools).toEqual(expect.arrayContaining(['Read', 'mcp__everything__echo']));
    expect(lines.at(-1)).toMatchObject({ type: 'result', result: 'The sum is 42.', permission_denials: [] });

    // The first request already offers the server's tools, after the built-in ones, with clean schemas.
    const tools = fake.requests[0].tools.map((t: { function: { name: string; parameters: unknown } }) => t.function);
    const names = tools.map((t: { name: string }) => t.name);
    expect(names.indexOf('mcp__everything__echo')).toBeGreaterThan(names.indexOf('Read'));
    const echo = tools.find((t: { name: string }) => t.name === 'mcp__everything__echo');
    expect(echo.parameters).toEqual({ type: 'object', properties: { message: { type: 'string', description: 'Message to echo' } }, required: ['message'] });
    expect(JSON.stringify(tools)).not.toContain('$schema');

    // Its stderr went to a log in the session folder.
    const sessions = path.join(sb.home, '.local/share/glm-code/sessions');
    const logs = (await readdir(sessions, { recursive: true })).filter((f) => String(f).endsWith(path.join('mcp', 'everything.log')));
    expect(logs).toHaveLength(1);
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('without a rule the call is denied in headless mode, with the rule that would allow it', async () => {
    fake.reply(toolCalls([{ name: 'mcp__everything__echo', arguments: { message: 'x' } }]), (body) => {
      expect(lastContent(body)).toMatch(/^Permission denied: everything echo/);
      return text('Could not.');
    });
    const r = await runGlm(sb, ['-p', 'echo', '--mcp-config', mcpConfig({ everything: everythingStdio(mark) })]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('glm: denied everything echo {"message":"x"} (MCP tools need approval unless a rule allows them); allow it with --allowedTools "mcp__everything__echo"');
    expect(await orphansOf(mark)).toEqual([]);
  });

  it("an untrusted project's .mcp.json starts no process: one stderr line; once trusted, its server starts", async () => {
    const bad = await badServers(mark);
    await writeFile(path.join(sb.repo, '.mcp.json'), mcpConfig({ marker: bad.leavesMarker }));
    fake.reply(text('ok'));
    const r = await runGlm(sb, ['-p', 'hi', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('glm: not using 1 MCP server from .mcp.json: this project is not trusted (run "glm trust" in it to trust it)');
    expect(existsSync(path.join(sb.repo, 'marker-file'))).toBe(false);
    expect(fake.requests[0].tools.some((t: { function: { name: string } }) => t.function.name.startsWith('mcp__'))).toBe(false);

    const trust = await runGlm(sb, ['trust']);
    expect(trust.stdout).toContain("This project's .mcp.json lets glm:\n  start these MCP servers of .mcp.json");
    expect(trust.stdout).toContain(`marker: ${bad.leavesMarker.command} ${bad.leavesMarker.args[0]}`);
    fake.reply(text('ok'));
    const trusted = await runGlm(sb, ['-p', 'hi'], { env: { MCP_TIMEOUT: '1500' } });
    expect(trusted.exitCode).toBe(0);
    expect(await readFile(path.join(sb.repo, 'marker-file'), 'utf8')).toBe('ran');
    expect(await orphansOf(mark)).toEqual([]);
  });

  it("a trusted project's .mcp.json server named like one of the user's does not replace it nor get its allow rules: the user's runs, one stderr line says so", async () => {
    const bad = await badServers(mark);
    await mkdir(path.join(sb.home, '.config', 'glm-code'), { recursive: true });
    const userSettings = path.join(sb.home, '.config', 'glm-code', 'settings.json');
    await writeFile(userSettings, JSON.stringify({ mcpServers: { docs: everythingStdio(mark) }, permissions: { allow: ['mcp__docs'] } }));
    await writeFile(path.join(sb.repo, '.mcp.json'), mcpConfig({ docs: bad.leavesMarker }));
    expect((await runGlm(sb, ['trust'])).exitCode).toBe(0);
    fake.reply(toolCalls([{ name: 'mcp__docs__echo', arguments: { message: 'whose?' } }]), (body) => {
      expect(lastContent(body)).toBe('Echo: whose?'); // the user's server-everything answered, allowed by the user's rule
      return text('done');
    });
    const r = await runGlm(sb, ['-p', 'echo'], { env: { MCP_TIMEOUT: '5000' } });
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr).trim().split('\n')).toEqual([
      `glm: not starting the server "docs" of ${path.join(sb.repo, '.mcp.json')}: "mcpServers" in ${userSettings} has a server of that name, which runs instead (your rules for mcp__docs are for yours); rename one to use both`,
    ]);
    expect(existsSync(path.join(sb.repo, 'marker-file'))).toBe(false); // the project's server never started
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('a server that exits at start and one that never answers are reported in one line each; the run goes on within MCP_TIMEOUT (a busy machine gets 5 s to start server-everything)', async () => {
    const bad = await badServers(mark);
    fake.reply(text('done anyway'));
    const config = mcpConfig({ broken: bad.exitsAtStart, silent: bad.neverAnswers, everything: everythingStdio(mark) });
    const started = Date.now();
    const r = await runGlm(sb, ['-p', 'hi', '--mcp-config', config, '--output-format', 'stream-json'], { env: { MCP_TIMEOUT: '5000' } });
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(r.exitCode).toBe(0);
    expect(String(r.stderr).split('\n').filter(Boolean)).toEqual([
      'glm: MCP server "broken" failed: MCP error -32000: Connection closed (it said: config missing: set DOCS_TOKEN); going on without its tools',
      'glm: MCP server "silent" failed: did not start within 5.0 s; going on without its tools',
    ]);
    const lines = String(r.stdout).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].mcp_servers).toEqual([
      { name: 'broken', status: 'failed' },
      { name: 'everything', status: 'connected' },
      { name: 'silent', status: 'failed' },
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', result: 'done anyway' });
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('SIGINT during a long MCP call cancels it, ends the run with 130 and closes the server', async () => {
    fake.reply(toolCalls([{ name: 'mcp__everything__trigger-long-running-operation', arguments: { duration: 30, steps: 10 } }]), text('never'));
    const run = runGlm(sb, ['-p', 'run long', '--mcp-config', mcpConfig({ everything: everythingStdio(mark) }), '--allowedTools', 'mcp__everything']);
    await fake.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 700));
    const started = Date.now();
    run.kill('SIGINT');
    const r = await run;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('glm: interrupted; resume with: glm --resume');
    expect(fake.requests).toHaveLength(1);
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('ListMcpResources runs without asking; ReadMcpResource is denied in headless unless a rule allows it', async () => {
    const uri = 'demo://resource/static/document/features.md';
    const script = () => [
      toolCalls([{ name: 'ListMcpResources', arguments: {} }]),
      (body: { messages: { content: string }[] }) => {
        expect(lastContent(body)).toContain(`everything: ${uri}`);
        return toolCalls([{ name: 'ReadMcpResource', arguments: { server: 'everything', uri } }]);
      },
      (body: { messages: { content: string }[] }) => text(lastContent(body).slice(0, 40)),
    ];
    const config = mcpConfig({ everything: everythingStdio(mark) });
    fake.reply(...script());
    const denied = await runGlm(sb, ['-p', 'read docs', '--mcp-config', config, '--output-format', 'json']);
    expect(denied.exitCode).toBe(0);
    expect(JSON.parse(String(denied.stdout)).result).toMatch(/^Permission denied: Read MCP resource/);
    expect(JSON.parse(String(denied.stdout)).permission_denials).toMatchObject([{ tool_name: 'ReadMcpResource' }]);
    fake.reset();
    fake.reply(...script());
    const allowed = await runGlm(sb, ['-p', 'read docs', '--mcp-config', config, '--allowedTools', 'ReadMcpResource', '--output-format', 'json']);
    expect(JSON.parse(String(allowed.stdout)).result).toBe(`[resource ${uri} (text/markdown)]`.slice(0, 40));
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('a bad --mcp-config is one line and exit 2', async () => {
    const r = await runGlm(sb, ['-p', 'hi', '--mcp-config', '{"mcpServers": {"x": {"args": []}}}']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('glm: server "x" in "mcpServers" in --mcp-config needs "command": the program to start, e.g. "npx"');
    expect(fake.requests).toHaveLength(0);
  });
});
