// What the command sandbox adds to each Bash call, side by side in one process: a trivial command (`true`) run the
// way the Bash tool runs it (tools/bash-shells.ts runForeground), alternately without the sandbox (the floor) and
// inside it (bwrap, src/sandbox/), plus the one-time bwrap probe. Target: at most 15 ms added per call.
// Run: node_modules/.bin/node bench/sandbox.mjs (Linux with bubblewrap).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const { runForeground } = await import(path.join(root, 'tools/bash-shells.ts'));
const { CommandSandbox } = await import(path.join(root, 'src/sandbox/sandbox.ts'));

const project = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-sandbox-'));
execFileSync('git', ['init', '-q', project]);
const sandbox = new CommandSandbox({
  config: { mode: 'on', allowWrite: [], allowedDomains: [], hooks: false },
  projectRoot: project,
  additionalDirs: [],
  denyRules: () => [],
  configDir: path.join(os.homedir(), '.config', 'glm-code'),
});
const t0 = performance.now();
const state = await sandbox.state();
const probeMs = performance.now() - t0;
if (!state.active) {
  console.log(`Sandbox: not available here (${state.refused ?? state.notice}); nothing to measure.`);
  process.exit(0);
}

const signal = new AbortController().signal;
async function once(sandboxed) {
  const wrap = sandboxed ? (await sandbox.prepare()).wrap : undefined;
  const t = performance.now();
  const r = await runForeground('true', { cwd: project, timeoutMs: 10_000, signal, wrap });
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.output}`);
  return performance.now() - t;
}

/** CPU time (ms) this process's finished children used, user + system (/proc/self/stat cutime + cstime, 10 ms ticks). */
const childCpu = () => {
  const f = readFileSync('/proc/self/stat', 'utf8').slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
};

const plain = [], boxed = [];
const cpu = { plain: 0, boxed: 0 };
for (let i = 0; i < 3; i++) await once(false), await once(true); // warm up
for (let i = 0; i < RUNS; i++) {
  let c = childCpu();
  plain.push(await once(false));
  cpu.plain += childCpu() - c;
  c = childCpu();
  boxed.push(await once(true));
  cpu.boxed += childCpu() - c;
}
await sandbox.close();
const p = median(plain), b = median(boxed);
console.log(`Sandbox cost per Bash call (\`true\`, ${RUNS} runs each, alternating, medians)`);
console.log(`  floor (no sandbox) ${p.toFixed(1)} ms   sandboxed (bwrap) ${b.toFixed(1)} ms   added ${(b - p).toFixed(1)} ms (target <= 15 ms)`);
console.log(`  CPU time of the started processes per call (user + system): floor ${(cpu.plain / RUNS).toFixed(1)} ms   sandboxed ${(cpu.boxed / RUNS).toFixed(1)} ms`);
console.log(`  one-time bwrap probe per process: ${probeMs.toFixed(1)} ms   (load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
