// What a plain `glm -p hi` loads and what it costs, side by side with its floor in one run: the modules it loads
// (dist/ chunks and built-ins, recorded by record-loads.mjs), then wall and CPU time against a bare fetch client
// (floor-client.mjs), interleaved. BENCH_GLM_BASE=/other/checkout/bin/glm.js adds another build (e.g. the commit
// before a change, built elsewhere) to both, measured the same way in the same run.
// Run: npm run build && node_modules/.bin/node bench/lazy-loads.mjs   (BENCH_RUNS, default 15)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scratchRepo } from './scratch-run.mjs';
import { median, sseText, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const builds = [['base', process.env.BENCH_GLM_BASE], ['this build', path.join(root, 'bin/glm.js')]].filter(([, bin]) => bin);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const hasTime = existsSync('/usr/bin/time');

const server = await startBenchServer(() => sseText('Hello! How can I help you today?'));
const { dir, repo, env } = scratchRepo('glm-bench-loads-', server.url);

/** Wall ms and CPU ms (user+sys, via /usr/bin/time when present) of one run. */
function run(args, extraEnv = {}) {
  const [cmd, argv] = hasTime ? ['/usr/bin/time', ['-f', '%U %S', process.execPath, ...args]] : [process.execPath, args];
  const t0 = performance.now();
  const child = spawn(cmd, argv, { cwd: repo, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`${args.join(' ')}: exit ${code}: ${stderr}`));
      const [user, sys] = hasTime ? stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN];
      resolve({ ms, cpuMs: (user + sys) * 1000 });
    }),
  );
}

/** The dist/ files and the built-ins one `glm -p hi` of `bin` loads. */
async function loads(bin) {
  const file = path.join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  await run(['--import', path.join(import.meta.dirname, 'record-loads.mjs'), bin, '-p', 'hi'], { GLM_BENCH_LOADS: file });
  const dist = `file://${path.resolve(path.dirname(bin), '../dist')}/`;
  const urls = readFileSync(file, 'utf8').trim().split('\n');
  return { chunks: urls.filter((u) => u.startsWith(dist)).length, builtins: urls.filter((u) => u.startsWith('node:')) };
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
console.log('modules loaded by glm -p hi');
for (const [label, bin] of builds) {
  const { chunks, builtins } = await loads(bin);
  console.log(`  ${label.padEnd(10)}  ${chunks} dist chunks, ${builtins.length} built-ins: ${builtins.map((b) => b.slice(5)).join(' ')}`);
}

const floor = [path.join(import.meta.dirname, 'floor-client.mjs'), server.url, 'hi'];
const times = new Map([['floor', []], ...builds.map(([label]) => [label, []])]);
for (let i = 0; i < RUNS; i++) {
  times.get('floor').push(await run(floor));
  for (const [label, bin] of builds) times.get(label).push(await run([bin, '-p', 'hi']));
}
const floorMs = median(times.get('floor').map((t) => t.ms));
const floorCpu = median(times.get('floor').map((t) => t.cpuMs));
console.log('\nglm -p hi vs a bare Node fetch client (same streamed request)');
for (const [label, ts] of times) {
  const ms = median(ts.map((t) => t.ms)), cpu = median(ts.map((t) => t.cpuMs));
  console.log(`  ${label.padEnd(10)}  wall ${ms.toFixed(1)} ms (${(ms / floorMs).toFixed(2)}×)   CPU ${cpu.toFixed(0)} ms (${(cpu / floorCpu).toFixed(2)}×)`);
}
await server.close();
