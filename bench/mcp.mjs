// MCP start-up cost, side by side in one run:
//   1. `glm -p hi` with no MCP server configured, this build vs another (BENCH_GLM_BASE, e.g. the commit before
//      MCP, built elsewhere): wall time, and the modules each loads (none of the MCP client may appear).
//   2. `glm -p hi` with one stdio server configured vs without, next to the server's own time from spawn to its
//      initialize answer through a bare SDK client (the floor the issue sets: that plus 40 ms), in interleaved
//      rounds, for server-everything and for a minimal server (bench/tiny-mcp-server.mjs); with BENCH_GLM_BASE,
//      that build with each server too.
// Run: npm run build && node_modules/.bin/node bench/mcp.mjs   (BENCH_RUNS, default 9)
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scratchRepo, timedRun } from './scratch-run.mjs';
import { median, sseText, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = path.join(root, 'bin/glm.js');
const base = process.env.BENCH_GLM_BASE;
const node = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const everything = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const server = await startBenchServer(() => sseText('Hello!'));
const scratch = scratchRepo('glm-bench-mcp-', server.url);
const { dir } = scratch;
const run = (args, extraEnv) => timedRun(scratch, args, extraEnv);

/** The module URLs one `glm -p hi` of `bin` loads. */
async function loads(bin) {
  const file = path.join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  await run(['--import', path.join(import.meta.dirname, 'record-loads.mjs'), bin, '-p', 'hi'], { GLM_BENCH_LOADS: file });
  const distOf = path.dirname(path.dirname(bin));
  return readFileSync(file, 'utf8').trim().split('\n').map((u) => u.replace(`file://${distOf}/`, ''));
}
/** Chunk names without their hash, to compare two builds. */
const unhashed = (u) => u.replace(/-[A-Z0-9]{8}\.js$/, '.js');

console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
const mine = await loads(glm);
// By content: agents' start chunk and the MCP one are both start-*.js.
const mcpModules = mine.filter((u) => /modelcontextprotocol|\/mcp\//.test(u) || (/^dist\/.*\.js$/.test(u) && /startMcpServers|notifications\/initialized/.test(readFileSync(path.join(root, u), 'utf8'))));
console.log(`glm -p hi without MCP: ${mine.length} modules loaded; MCP modules among them: ${mcpModules.length ? mcpModules.join(', ') : 'none'}`);
if (base) {
  const theirs = (await loads(base)).map(unhashed);
  const added = mine.map(unhashed).filter((u) => !theirs.includes(u));
  const removed = theirs.filter((u) => !mine.map(unhashed).includes(u));
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
// server-everything, and a minimal server that starts as fast as Node can and exits when its stdin closes (so
// glm's own cost shows; server-everything keeps running after stdin closes and gets the 100 ms grace, then SIGTERM).
const servers = { everything, tiny: path.join(import.meta.dirname, 'tiny-mcp-server.mjs') };
/** A server's own times through a bare client: spawn → initialize answer, and spawn → tools/list → exited. */
const bareCycle = Object.fromEntries(Object.keys(servers).map((k) => [k, []]));
const bare = (name) => async () => {
  const client = new Client({ name: 'bench', version: '0' });
  const transport = new StdioClientTransport({ command: node, args: [servers[name]], stderr: 'ignore' });
  const t0 = performance.now();
  await client.connect(transport);
  const ms = performance.now() - t0;
  await client.listTools();
  await client.close(); // resolves once the process has exited (stdin closed, then the SDK's 2 s grace)
  bareCycle[name].push(performance.now() - t0);
  return ms;
};
const config = (name) => JSON.stringify({ mcpServers: { [name]: { command: node, args: [servers[name]] } } });
// Interleaved rounds: on a shared machine the load drifts, and each round sees the same load for every case.
const cases = { without: () => run([glm, '-p', 'hi']) };
for (const name of Object.keys(servers)) {
  cases[`bare ${name}`] = bare(name);
  cases[`with ${name}`] = () => run([glm, '-p', 'hi', '--mcp-config', config(name)]);
  if (base) cases[`base with ${name}`] = () => run([base, '-p', 'hi', '--mcp-config', config(name)]);
}
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [k, f] of Object.entries(cases)) times[k].push(await f());
const m = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
console.log(`\nload average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`glm -p hi without MCP: ${m.without.toFixed(1)} ms`);
for (const name of Object.keys(servers)) {
  const added = m[`with ${name}`] - m.without;
  const target = m[`bare ${name}`] + 40;
  console.log(`${name}: spawn → initialize answer through a bare SDK client ${m[`bare ${name}`].toFixed(1)} ms (spawn → initialize, tools/list, exit after stdin closes: ${median(bareCycle[name]).toFixed(1)} ms)`);
  console.log(`  glm -p hi with it: ${m[`with ${name}`].toFixed(1)} ms: +${added.toFixed(1)} ms (issue target: ≤ ${target.toFixed(0)} ms added: ${added <= target ? 'met' : `${(added - target).toFixed(0)} ms over`})`);
  if (base) console.log(`  ${base} with it: ${m[`base with ${name}`].toFixed(1)} ms: +${(m[`base with ${name}`] - m.without).toFixed(1)} ms over this build without`);
}
await server.close();
