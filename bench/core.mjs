// Issue #2's speed numbers, each side by side with its floor in one run, on this machine:
//   startup (`glm --version` vs `node -e 0`), one-shot (`glm -p hi` vs a bare fetch client, wall time and
//   peak RSS), client overhead per tool turn, and the fixed prompt overhead of the first request.
// Run: npm run bench (builds first). Uses the project's Node (node_modules/.bin/node via npm).
// BENCH_GLM=/other/checkout/bin/glm.js measures another build (e.g. a git worktree of an older commit) the same way.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, sseText, sseToolCall, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = process.env.BENCH_GLM ?? path.join(root, 'bin/glm.js');
const node = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const hasTime = existsSync('/usr/bin/time');

function sandbox() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-'));
  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  spawnSync('git', ['init', '-q'], { cwd: repo });
  return { repo, env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'c'), XDG_DATA_HOME: path.join(dir, 'd'), GLM_API_KEY: 'bench' } };
}

/** Wall ms and peak RSS (MB, via /usr/bin/time when present) of one run. Async: the bench server runs in this process. */
function measure(args, opts) {
  const cmd = hasTime ? '/usr/bin/time' : node;
  const argv = hasTime ? ['-f', '%U %S %M', node, ...args] : args;
  const t0 = performance.now();
  const child = spawn(cmd, argv, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (status) => {
      const ms = performance.now() - t0;
      if (status !== 0) return reject(new Error(`${args.join(' ')} failed (${status}): ${stderr}`));
      const [user, sys, rssKb] = hasTime ? stderr.trim().split('\n').at(-1).split(' ').map(Number) : [NaN, NaN, NaN];
      resolve({ ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024, stdout });
    }),
  );
}

async function pair(label, a, b, runs = RUNS) {
  const xs = [], ys = [];
  for (let i = 0; i < runs; i++) {
    xs.push(await a());
    ys.push(await b());
  }
  const fx = median(xs.map((x) => x.ms)), fy = median(ys.map((y) => y.ms));
  console.log(`${label}\n  floor  ${fx.toFixed(1)} ms   glm  ${fy.toFixed(1)} ms   ratio ${(fy / fx).toFixed(2)}×`);
  if (hasTime) {
    const cx = median(xs.map((x) => x.cpuMs)), cy = median(ys.map((y) => y.cpuMs));
    console.log(`  CPU (user+sys): floor ${cx.toFixed(0)} ms   glm ${cy.toFixed(0)} ms   ratio ${(cy / cx).toFixed(2)}× (steadier than wall time on a busy machine)`);
  }
  if (hasTime) console.log(`  peak RSS: floor ${median(xs.map((x) => x.rssMb)).toFixed(0)} MB, glm ${Math.max(...ys.map((y) => y.rssMb)).toFixed(0)} MB (max of ${runs})`);
  return fy / fx;
}

console.log(`node ${process.version}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
const sb = sandbox();

await pair('glm --version vs node -e 0', () => measure(['-e', '0'], { cwd: sb.repo }), () => measure([glm, '--version'], { cwd: sb.repo, env: sb.env }));

const hi = await startBenchServer(() => sseText('Hello! How can I help you today?'));
await pair(
  'glm -p "hi" vs a bare Node fetch client (same streamed request)',
  () => measure([path.join(import.meta.dirname, 'floor-client.mjs'), hi.url, 'hi'], { cwd: sb.repo }),
  () => measure([glm, '-p', 'hi'], { cwd: sb.repo, env: { ...sb.env, GLM_BASE_URL: hi.url } }),
);
const first = JSON.parse(hi.log.at(-1).raw);
const fixed = JSON.stringify(first.messages.find((m) => m.role === 'system')) + JSON.stringify(first.tools);
console.log(`fixed prompt overhead (system prompt + ${first.tools.length} tool schemas, bytes/4): ${Math.round(fixed.length / 4)} tokens (target ≤ 4,000)`);
await hi.close();

const TURNS = 40;
const turns = await startBenchServer((_body, i) =>
  i < TURNS ? sseToolCall('TodoWrite', { todos: [{ content: `step ${i}`, status: 'in_progress', activeForm: `Doing step ${i}` }] }) : sseText('Done.'),
);
await measure([glm, '-p', 'plan it', '--max-turns', String(TURNS + 2)], { cwd: sb.repo, env: { ...sb.env, GLM_BASE_URL: turns.url } });
const gaps = turns.log.slice(1).map((entry, i) => entry.arrived - turns.log[i].ended);
console.log(`client overhead per tool turn (reply sent → next request received, trivial tool, ${gaps.length} turns): median ${median(gaps).toFixed(2)} ms, max ${Math.max(...gaps).toFixed(2)} ms (target ≤ 10 ms median)`);
await turns.close();
