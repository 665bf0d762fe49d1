// How long `glm -p` takes to exit after printing its answer, side by side in one run: a run that judged a shell
// command (one Bash call: the permission decision parses it with tree-sitter-bash's WASM) against a plain run
// (no tool) and a run with a Read call (tools loaded, no parser): the time from the answer's last byte on stdout
// to the process's exit, and the whole run's wall time. BENCH_GLM_BASE=/other/checkout/bin/glm.js adds another
// build, interleaved. BENCH_NODE_FLAGS="--liftoff-only" runs every glm with those Node flags (to try V8 flags).
// Run: npm run build && node_modules/.bin/node bench/exit-lag.mjs   (BENCH_RUNS, default 9)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, sseText, sseToolCall, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const builds = [['base', process.env.BENCH_GLM_BASE], ['this build', path.join(root, 'bin/glm.js')]].filter(([, bin]) => bin);
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-exit-'));
const repo = path.join(dir, 'repo');
mkdirSync(repo);
spawnSync('git', ['init', '-q'], { cwd: repo });
writeFileSync(path.join(repo, 'a.txt'), 'alpha\n');
const ANSWER = 'Done: the command printed hello.';
// Each run's first request gets the tool call of its prompt (if any), the second the answer.
const CALLS = { bash: ['Bash', { command: 'echo hello | tr a-z A-Z' }], read: ['Read', { file_path: path.join(repo, 'a.txt') }] };
const server = await startBenchServer((body) => {
  const kind = body.messages.find((m) => m.role === 'user').content.split(' ')[0];
  const first = body.messages.at(-1).role === 'user';
  return first && CALLS[kind] ? sseToolCall(...CALLS[kind]) : sseText(ANSWER);
});
const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'c'), XDG_DATA_HOME: path.join(dir, 'd'), GLM_API_KEY: 'bench', GLM_BASE_URL: server.url };

/** One run: wall ms, and ms from the last byte of stdout to the process's exit. */
function run(bin, kind) {
  const t0 = performance.now();
  const args = [...nodeFlags, bin, '-p', `${kind} it`, '--allowedTools', 'Bash(echo:*),Bash(tr:*)'];
  const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '', lastByte = 0;
  child.stdout.on('data', (d) => ((stdout += d), (lastByte = performance.now())));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const end = performance.now();
      if (code !== 0 || !stdout.includes(ANSWER)) return reject(new Error(`${kind} run: exit ${code}: ${stdout}${stderr}`));
      resolve({ wall: end - t0, lag: end - lastByte });
    }),
  );
}

console.log(`node ${process.version}${nodeFlags.length ? ` ${nodeFlags.join(' ')}` : ''}, ${os.cpus().length} cores, ${RUNS} runs each, medians\n`);
const kinds = ['plain', 'read', 'bash'];
const results = new Map(builds.flatMap(([label]) => kinds.map((k) => [`${label}/${k}`, []])));
for (let i = 0; i < RUNS; i++) for (const [label, bin] of builds) for (const kind of kinds) results.get(`${label}/${kind}`).push(await run(bin, kind));
console.log('glm -p: answer printed → process exit (lag), and wall time');
for (const [label] of builds) {
  for (const kind of kinds) {
    const rs = results.get(`${label}/${kind}`);
    const what = { plain: 'no tool (floor)', read: 'one Read call', bash: 'one Bash call (parsed)' }[kind];
    console.log(`  ${label.padEnd(10)} ${what.padEnd(24)} lag ${median(rs.map((r) => r.lag)).toFixed(1).padStart(6)} ms (max ${Math.max(...rs.map((r) => r.lag)).toFixed(0)})   wall ${median(rs.map((r) => r.wall)).toFixed(1).padStart(6)} ms`);
  }
}
await server.close();
