// glm -p's opening exchange with a stdio MCP server before the SDK loads (src/mcp/early-session.ts), and the SDK's
// Client attached over it later (src/mcp/early-connection.ts): with server-everything as a real child process,
// and tiny scripted servers for what server-everything never does (pinging the client, asking it things, breaking
// the framing, exiting early).
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LATEST_PROTOCOL_VERSION as SDK_LATEST, SUPPORTED_PROTOCOL_VERSIONS as SDK_SUPPORTED } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { earlyConnection } from '../../src/mcp/early-connection.ts';
import { EarlySession, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '../../src/mcp/early-session.ts';
import { spawnServer } from '../../src/mcp/spawn.ts';
import { EVERYTHING, NODE, marker, orphansOf } from '../support/mcp-servers.ts';

const info = { name: 'glm-code-test', version: '0' };
const session = (args: string[], cwd = os.tmpdir()) => new EarlySession(spawnServer(NODE, args, cwd, { PATH: process.env.PATH ?? '' }), info);
const callbacks = () => {
  const changes: string[][] = [];
  return { changes, onToolsChanged: (t: { name: string }[]) => changes.push(t.map((x) => x.name)), onClosed: () => changes.push(['closed']) };
};

/**
 * A scripted server: answers initialize, tools/list (one tool) and tools/call, writes what it receives to `log`, and runs
 * `onInitialized` (a JS statement with `send(message)`) when the client says it is initialized.
 */
const scripted = (log: string, onInitialized = '') => [
  '-e',
  `const fs = require('fs'); const send = (m) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\\n');
   let buf = '';
   process.stdin.on('data', (d) => {
     buf += d;
     for (let i; (i = buf.indexOf('\\n')) >= 0; ) {
       const m = JSON.parse(buf.slice(0, i)); buf = buf.slice(i + 1);
       fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(m) + '\\n');
       if (m.method === 'initialize') send({ id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 's', version: '1' } } });
       if (m.method === 'tools/call') send({ id: m.id, result: { content: [{ type: 'text', text: 'called ' + m.params.name }] } });
       if (m.method === 'tools/list') send({ id: m.id, result: { tools: [{ name: 'one', inputSchema: { type: 'object' } }] } });
       if (m.method === 'notifications/initialized') { ${onInitialized} }
     }
   });`,
];
const received = async (log: string) => (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));

describe('the early session', () => {
  it('offers and accepts the protocol versions the SDK does', () => {
    expect(LATEST_PROTOCOL_VERSION).toBe(SDK_LATEST);
    expect(SUPPORTED_PROTOCOL_VERSIONS).toEqual(SDK_SUPPORTED);
  });

  it("learns server-everything's tools alone; the SDK's Client attaches at the first call, which works, and close leaves no process", async () => {
    const mark = marker();
    const s = session([EVERYTHING, 'stdio', mark]);
    const opened = await s.opened;
    expect(opened.init.protocolVersion).toBe(SDK_LATEST);
    expect(opened.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    const conn = earlyConnection(s, opened, callbacks());
    expect(conn.offers).toEqual({ resources: true, prompts: true });
    const result = await conn.call('get-sum', { a: 2, b: 3 }, new AbortController().signal);
    expect(JSON.stringify(result.content)).toContain('5');
    expect((await conn.resources(new AbortController().signal)).length).toBeGreaterThan(0);
    await conn.close();
    expect(await orphansOf(mark)).toEqual([]);
  });

  it('answers a ping before any client is attached, refuses other requests as unknown methods, and the attached Client gets the later ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-early-'));
    const log = path.join(dir, 'log');
    const s = session(scripted(log, "send({ id: 'p1', method: 'ping' }); send({ id: 'r1', method: 'roots/list' });"));
    const opened = await s.opened;
    expect(opened.tools.map((t) => t.name)).toEqual(['one']);
    for (let i = 0; i < 50 && (await received(log)).length < 5; i++) await new Promise((r) => setTimeout(r, 50));
    const messages = await received(log);
    expect(messages.map((m) => m.method ?? m.id)).toEqual(['initialize', 'notifications/initialized', 'tools/list', 'p1', 'r1']);
    expect(messages[0].params).toMatchObject({ protocolVersion: SDK_LATEST, capabilities: {}, clientInfo: info });
    expect(messages[3]).toEqual({ jsonrpc: '2.0', id: 'p1', result: {} });
    expect(messages[4]).toMatchObject({ id: 'r1', error: { code: -32601 } });
    // The Client attaches (a call): the server is not initialized twice.
    const conn = earlyConnection(s, opened, callbacks());
    expect((await conn.call('one', {}, new AbortController().signal)).content).toEqual([{ type: 'text', text: 'called one' }]);
    const after = (await received(log)).slice(5);
    expect(after.map((m) => m.method)).toEqual(['tools/call']);
    await conn.close();
  });

  it('follows tools/list_changed before a client is attached', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-early-'));
    const log = path.join(dir, 'log');
    const s = session(scripted(log, "setTimeout(() => send({ method: 'notifications/tools/list_changed' }), 100);"));
    const cb = callbacks();
    const conn = earlyConnection(s, await s.opened, cb);
    for (let i = 0; i < 50 && !cb.changes.length; i++) await new Promise((r) => setTimeout(r, 50));
    expect(cb.changes).toEqual([['one']]);
    expect((await received(log)).filter((m) => m.method === 'tools/list')).toHaveLength(2);
    await conn.close();
  });

  it('a server that exits before answering, or breaks the framing, fails `opened` in one line; a line that is not JSON is skipped', async () => {
    await expect(session(['-e', "console.error('no token'); process.exit(1)"]).opened).rejects.toThrow('MCP error -32000: Connection closed');
    const big = session(['-e', "process.stdout.write('x'.repeat(11 * 1024 * 1024)); setInterval(() => {}, 1000)"]);
    await expect(big.opened).rejects.toThrow(/exceeded maximum size/);
    await big.process.closed;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-early-'));
    const noisy = session(['-e', `process.stdout.write('starting up...\\n'); ${scripted(path.join(dir, 'log'))[1]}`]);
    expect((await noisy.opened).tools.map((t) => t.name)).toEqual(['one']);
    await earlyConnection(noisy, await noisy.opened, callbacks()).close();
  });

  it('a tools/list the SDK would refuse (a tool without a name, a description that is not text) fails `opened`', async () => {
    for (const tool of ['{ inputSchema: { type: "object" } }', '{ name: "x", description: 7, inputSchema: { type: "object" } }', '{ name: "x", inputSchema: [] }']) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-early-'));
      const script = scripted(path.join(dir, 'log'))[1]!.replace(`[{ name: 'one', inputSchema: { type: 'object' } }]`, `[${tool}]`);
      const s = session(['-e', script]);
      await expect(s.opened).rejects.toThrow('Server sent an invalid tools/list result');
      s.process.child.kill();
    }
  });

  it('a server that exits after it started is reported closed once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-early-'));
    const s = session(scripted(path.join(dir, 'log'), 'setTimeout(() => process.exit(0), 200);'));
    const cb = callbacks();
    earlyConnection(s, await s.opened, cb);
    await s.process.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(cb.changes).toEqual([['closed']]);
  });
});
