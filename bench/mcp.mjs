// MCP start-up cost, side by side in one run:
//   1. `glm -p hi` with no MCP server configured, this build vs another (BENCH_GLM_BASE, e.g. the commit before
//      MCP, built elsewhere): wall time, and the modules each loads (none of the MCP client may appear).
//   2. `glm -p hi` with server-everything configured vs without, next to the server's own time from spawn to its
//      initialize answer through a bare SDK client (the floor the issue sets: that plus 40 ms).
// Run: npm run build && node_modules/.bin/node bench/mcp.mjs   (BENCH_RUNS, default 9)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, sseText, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = path.join(root, 'bin/glm.js');
const base = process.env.BENCH_GLM_BASE;
const node = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-mcp-'));
const repo = path.join(dir, 'repo');
mkdirSync(repo);
spawnSync('git', ['init', '-q'], { cwd: repo });
const server = await startBenchServer(() => sseText('Hello!'));
const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'c'), XDG_DATA_HOME: path.join(dir, 'd'), GLM_API_KEY: 'bench', GLM_BASE_URL: server.url };

function run(args, extraEnv = {}) {
  const t0 = performance.now();
  const child = spawn(node, args, { cwd: repo, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')}: exit ${code}: ${stderr}`)))),
  );
}

/** The module URLs one `glm -p hi` of `bin` loads. */
async function loads(bin) {
  const file = path.join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  await run(['--import', path.join(import.meta.dirname, 'record-loads.mjs'), bin, '-p', 'hi'], { GLM_BENCH_LOADS: file });
  const distOf = path.dirname(path.dirname(bin));
  return readFileSync(file, 'utf8').trim().split('\n').map((u) => u.replace(`file://${distOf}/`, '').replace(/-[A-Z0-9]{8}\.js$/, '.js'));
}

async function medianOf(f) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) xs.push(await f());
  return median(xs);
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
const mine = await loads(glm);
const mcpModules = mine.filter((u) => /modelcontextprotocol|\/mcp\//.test(u) || /^dist\/start\.js$/.test(u));
console.log(`glm -p hi without MCP: ${mine.length} modules loaded; MCP modules among them: ${mcpModules.length ? mcpModules.join(', ') : 'none'}`);
if (base) {
  const theirs = await loads(base);
  const added = mine.filter((u) => !theirs.includes(u));
  const removed = theirs.filter((u) => !mine.includes(u));
  console.log(`  vs ${base}: ${theirs.length} modules; only here: ${added.join(', ') || 'none'}; only there: ${removed.join(', ') || 'none'}`);
  const [a, b] = [[], []];
  for (let i = 0; i < RUNS; i++) {
    a.push(await run([base, '-p', 'hi']));
    b.push(await run([glm, '-p', 'hi']));
  }
  console.log(`  wall: base ${median(a).toFixed(1)} ms   this build ${median(b).toFixed(1)} ms   ratio ${(median(b) / median(a)).toFixed(2)}×`);
}

const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
const bare = await medianOf(async () => {
  const client = new Client({ name: 'bench', version: '0' });
  const transport = new StdioClientTransport({ command: node, args: [everything], stderr: 'ignore' });
  const t0 = performance.now();
  await client.connect(transport);
  const ms = performance.now() - t0;
  await client.close();
  return ms;
});
const config = JSON.stringify({ mcpServers: { everything: { command: node, args: [everything] } } });
const without = await medianOf(() => run([glm, '-p', 'hi']));
const withServer = await medianOf(() => run([glm, '-p', 'hi', '--mcp-config', config]));
console.log(`\nserver-everything: spawn → initialize answer through a bare SDK client: ${bare.toFixed(1)} ms`);
console.log(`glm -p hi: without MCP ${without.toFixed(1)} ms, with server-everything ${withServer.toFixed(1)} ms: +${(withServer - without).toFixed(1)} ms (issue target: ≤ ${bare.toFixed(0)} + 40 ms)`);
await server.close();
