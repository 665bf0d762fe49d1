// What a plain `glm -p hi` loads, recorded by a real Node module hook (bench/record-loads.mjs, preloaded through
// NODE_OPTIONS): no ESM chunk of dist/ (the agents catalog is inlined into dist/glm.cjs), no sandbox proxy
// (node:http, node:net) and no node:readline, each of which costs start-up time on every run. The same recorder
// sees them load when they are used, so the test cannot pass by recording nothing.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { text, toolCalls, type FakeGlm } from '../support/fake-glm-server.ts';
import { useFakeGlm } from '../support/use-fake-glm.ts';
import { makeSandbox, runGlm, type Sandbox } from '../support/run-glm.ts';

const RECORDER = path.resolve(import.meta.dirname, '../../bench/record-loads.mjs');
const DIST = path.resolve(import.meta.dirname, '../../dist');
const PROXY = ['node:http', 'node:net', 'node:dns/promises'];

let fake: FakeGlm;
useFakeGlm((f) => (fake = f));
let sb: Sandbox;
beforeEach(async () => {
  sb = await makeSandbox({}, fake.url);
  // allowedDomains configured: the proxy would start with the first command, and only then.
  mkdirSync(path.join(sb.home, '.config', 'glm-code'), { recursive: true });
  writeFileSync(path.join(sb.home, '.config', 'glm-code', 'settings.json'), JSON.stringify({ sandbox: { network: { allowedDomains: ['localhost'] } } }));
});

/** Runs glm with the recorder; the modules it loaded: dist/ files by name, built-ins as `node:x`. */
async function loadsOf(args: string[], input?: string) {
  const file = path.join(sb.home, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const run = await runGlm(sb, args, { input, env: { NODE_OPTIONS: `--import=${RECORDER}`, GLM_BENCH_LOADS: file } });
  const urls = readFileSync(file, 'utf8').trim().split('\n');
  const dist = urls.filter((u) => u.startsWith(`file://${DIST}/`)).map((u) => u.slice(`file://${DIST}/`.length));
  return { run, dist, builtins: urls.filter((u) => u.startsWith('node:')) };
}

describe('a plain glm -p run', () => {
  it('loads no dist chunk, no sandbox proxy and no readline, and still offers Task', async () => {
    fake.reply(text('Hello!'));
    const { run, dist, builtins } = await loadsOf(['-p', 'hi']);
    expect([run.exitCode, run.stdout]).toEqual([0, 'Hello!']);
    expect(dist).toEqual([]);
    expect(builtins).toContain('node:fs'); // the recorder saw the run
    expect(builtins.filter((b) => [...PROXY, 'node:readline', 'node:readline/promises'].includes(b))).toEqual([]);
    expect(fake.requests[0].tools.map((t: { function: { name: string } }) => t.function.name)).toContain('Task');
  });

  it('with an MCP server: its tools reach the model without loading the MCP SDK or zod, which load at the first call', async () => {
    const everything = { command: process.execPath, args: [path.resolve(import.meta.dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js')] };
    const config = JSON.stringify({ mcpServers: { everything } });
    // The SDK's Client (Protocol.registerCapabilities) and zod (ZodCUID2), bundled into chunks of their own.
    const sdkChunks = (dist: string[]) => dist.filter((f) => /registerCapabilities|ZodCUID2/.test(readFileSync(path.join(DIST, f), 'utf8')));
    fake.reply(text('Hello!'));
    const plain = await loadsOf(['-p', 'hi', '--mcp-config', config]);
    expect([plain.run.exitCode, plain.run.stdout]).toEqual([0, 'Hello!']);
    expect(fake.requests[0].tools.map((t: { function: { name: string } }) => t.function.name)).toContain('mcp__everything__echo');
    expect(sdkChunks(plain.dist)).toEqual([]);
    fake.reply(toolCalls([{ name: 'mcp__everything__echo', arguments: { message: 'ping' } }]), text('done'));
    const calling = await loadsOf(['-p', 'echo', '--mcp-config', config, '--allowedTools', 'mcp__everything']);
    expect([calling.run.exitCode, calling.run.stdout]).toEqual([0, 'done']);
    expect(JSON.stringify(fake.requests.at(-1).messages.at(-1))).toContain('Echo: ping');
    expect(sdkChunks(calling.dist).length).toBeGreaterThan(0);
  });

  it('loads readline with --input-format stream-json', async () => {
    fake.reply(text('Hello!'));
    const user = JSON.stringify({ type: 'user', message: { role: 'user', content: 'hi' }, parent_tool_use_id: null, session_id: '' });
    const { run, builtins } = await loadsOf(['-p', '--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json'], `${user}\n`);
    expect(run.exitCode).toBe(0);
    expect(builtins).toContain('node:readline');
  });

  it('starts the proxy (node:http, node:net) once a sandboxed command runs with allowedDomains', async () => {
    fake.reply(toolCalls([{ name: 'Bash', arguments: { command: 'echo "proxy=$HTTP_PROXY"' } }]), text('done'));
    const { run, dist, builtins } = await loadsOf(['-p', 'go', '--allowedTools', 'Bash']);
    expect([run.exitCode, run.stdout]).toEqual([0, 'done']);
    expect(fake.requests[1].messages.at(-1).content).toContain('proxy=http://127.0.0.1:3128');
    expect(dist.length).toBeGreaterThan(0); // the tools' chunks
    expect(builtins).toEqual(expect.arrayContaining(['node:http', 'node:net']));
  });
});
