// End to end with a real generated MCP server (test/support/generated-mcp-server.mjs): 150 tools reach the model
// as a ToolSearch catalogue that keeps the first request small; a search makes a tool's schema appear from the
// next request on and the model calls it; a server that dies in the middle of a call and a call cancelled by
// SIGINT leave the run honest and no process behind.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { estimateTokens } from '../../src/context/tokens.ts';
import { startFakeGlm, text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { generatedStdio, marker, orphansOf } from '../support/mcp-servers.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

let fake: FakeGlm;
beforeAll(async () => {
  fake = await startFakeGlm();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

type Tool = { function: { name: string; description: string; parameters: unknown } };
const toolsOf = (body: { tools?: Tool[] }) => (body.tools ?? []).map((t) => t.function);
const namesOf = (body: { tools?: Tool[] }) => toolsOf(body).map((t) => t.name);
const lastContent = (body: { messages: { content: string }[] }) => body.messages.at(-1)?.content ?? '';
const config = (mark: string, tools: number) => JSON.stringify({ mcpServers: { acme: generatedStdio(mark, tools) } });

describe('150 MCP tools through ToolSearch', () => {
  let sb: Sandbox;
  let mark: string;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    mark = marker();
  });

  it('the first request carries a catalogue, not 150 schemas (fixed overhead within 6,000 tokens); a search loads a tool the model then calls', async () => {
    fake.reply(
      toolCalls([{ name: 'ToolSearch', arguments: { query: 'export an invoice' } }]),
      (body) => {
        expect(lastContent(body)).toContain('## mcp__acme__export_invoice');
        expect(lastContent(body)).toContain('"required":["id"]');
        return toolCalls([{ name: 'mcp__acme__export_invoice', arguments: { id: 'inv_0042' } }]);
      },
      (body) => {
        expect(lastContent(body)).toBe('export_invoice ok: {"id":"inv_0042"}');
        return text('Exported.');
      },
    );
    const r = await runGlm(sb, ['-p', 'export invoice inv_0042', '--mcp-config', config(mark, 150), '--allowedTools', 'mcp__acme', '--output-format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).result).toBe('Exported.');

    const [first, second, third] = fake.requests;
    const names = namesOf(first);
    expect(names.filter((n: string) => n.startsWith('mcp__'))).toEqual([]);
    expect(names).toContain('ToolSearch');
    const search = toolsOf(first).find((t) => t.name === 'ToolSearch')!;
    expect(search.description).toMatch(/mcp__acme__<name>:\n(- .*\n)*- export_invoice: Export a invoice/);
    expect(search.description).toContain('- wait_forever');
    const overhead = estimateTokens(JSON.stringify(first.messages[0])) + estimateTokens(JSON.stringify(first.tools));
    expect(overhead).toBeLessThanOrEqual(6000);

    // From the next request on, the found tools are offered in full, after ToolSearch; the rest stay deferred.
    const loaded = namesOf(second).filter((n: string) => n.startsWith('mcp__'));
    expect(loaded[0]).toBe('mcp__acme__export_invoice');
    expect(loaded.length).toBeLessThanOrEqual(5);
    expect(toolsOf(second).find((t) => t.name === 'mcp__acme__export_invoice')!.parameters).toMatchObject({ required: ['id'] });
    expect(JSON.stringify(second.tools)).not.toContain('$schema');
    expect(namesOf(third)).toEqual(namesOf(second));
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('mcp.toolSearch "never" sends every schema', async () => {
    fake.reply(text('ok'));
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(sb.home, '.config/glm-code'), { recursive: true });
    await writeFile(path.join(sb.home, '.config/glm-code/settings.json'), JSON.stringify({ mcp: { toolSearch: 'never' } }));
    const r = await runGlm(sb, ['-p', 'hi', '--mcp-config', config(mark, 150)]);
    expect(r.exitCode).toBe(0);
    const names = namesOf(fake.requests[0]);
    expect(names).not.toContain('ToolSearch');
    expect(names.filter((n: string) => n.startsWith('mcp__acme__'))).toHaveLength(153); // 150, crash, grow and wait_forever
  });
});

describe('MCP calls that go wrong', () => {
  let sb: Sandbox;
  let mark: string;
  beforeEach(async () => {
    sb = await makeSandbox({ 'README.md': 'hi\n' }, fake.url);
    mark = marker();
  });

  it('a server that dies in the middle of a call: the model gets an error result, the run goes on, the next call says the server is gone', async () => {
    fake.reply(
      toolCalls([{ name: 'mcp__acme__crash', arguments: {} }]),
      (body) => {
        expect(lastContent(body)).toMatch(/closed|exited|Connection/i);
        return toolCalls([{ name: 'mcp__acme__get_invoice', arguments: { id: 'x' } }]);
      },
      (body) => {
        expect(lastContent(body)).toContain('the acme MCP server is not connected');
        return text('The server went away.');
      },
    );
    const r = await runGlm(sb, ['-p', 'crash it', '--mcp-config', config(mark, 3), '--allowedTools', 'mcp__acme', '--output-format', 'json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(String(r.stdout)).result).toBe('The server went away.');
    expect(r.stderr).toContain('glm: MCP server "acme" failed: the server closed the connection (it said: crashing on purpose); going on without its tools');
    expect(fake.requests).toHaveLength(3);
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('SIGINT during a call sends the server notifications/cancelled (it records it), exits 130 and leaves no process', async () => {
    fake.reply(toolCalls([{ name: 'mcp__acme__wait_forever', arguments: {} }]), text('never'));
    const run = runGlm(sb, ['-p', 'wait', '--mcp-config', config(mark, 3), '--allowedTools', 'mcp__acme']);
    await fake.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 800));
    run.kill('SIGINT');
    const r = await run;
    expect(r.exitCode).toBe(130);
    expect(existsSync(path.join(sb.repo, 'cancelled.txt'))).toBe(true);
    expect(await orphansOf(mark)).toEqual([]);
  });
});
