// What the command sandbox adds to each Bash call, side by side in one process: a trivial command (`true`) run the
// way the Bash tool runs it (tools/bash-shells.ts runForeground), in turn without the sandbox (the floor), inside it
// (bwrap with the seccomp filter that refuses unix sockets, src/sandbox/), and inside it without that filter (as with
// sandbox.allowUnixSockets), plus glm's own per-call work (the policy, prepare()) and the one-time bwrap probe.
// Target: at most 15 ms added per call. Then a large project (BENCH_FILES, default 50,000 files in 2,500 folders):
// the first command of a session and later ones (medians), with a Read deny pattern (`Read(**/.env)`, which walks
// the project before each command; later walks re-read only changed folders) and without one, side by side.
// Run: node_modules/.bin/node bench/sandbox.mjs (Linux with bubblewrap).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const { runForeground } = await import(path.join(root, 'tools/bash-shells.ts'));
const { CommandSandbox } = await import(path.join(root, 'src/sandbox/sandbox.ts'));

const project = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-sandbox-'));
execFileSync('git', ['init', '-q', project]);
const sandbox = (extra, projectRoot = project, denyRules = []) =>
  new CommandSandbox({
    config: { mode: 'on', allowWrite: [], allowedDomains: [], hooks: false, ...extra },
    projectRoot,
    additionalDirs: [],
    denyRules: () => denyRules,
    configDir: path.join(os.homedir(), '.config', 'glm-code'),
    dataDir: path.join(os.homedir(), '.local', 'share', 'glm-code'),
  });
const boxes = { sandboxed: sandbox({}), 'no filter': sandbox({ allowUnixSockets: true }) };
const t0 = performance.now();
const state = await boxes.sandboxed.state();
const probeMs = performance.now() - t0;
if (!state.active) {
  console.log(`Sandbox: not available here (${state.refused ?? state.notice}); nothing to measure.`);
  process.exit(0);
}
await boxes['no filter'].state();

const signal = new AbortController().signal;
/** CPU time (ms) this process's finished children used, user + system (/proc/self/stat cutime + cstime, 10 ms ticks). */
const childCpu = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) * 10;
};

const variants = { floor: undefined, ...boxes };
const wall = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(variants).map((k) => [k, 0]));
const prepareMs = [];
for (let i = 0; i < RUNS + 3; i++) {
  for (const [name, box] of Object.entries(variants)) {
    const p = performance.now();
    const wrap = box ? (await box.prepare()).wrap : undefined;
    if (box === boxes.sandboxed) prepareMs.push(performance.now() - p);
    const c = childCpu();
    const t = performance.now();
    const r = await runForeground('true', { cwd: project, timeoutMs: 10_000, signal, wrap });
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.output}`);
    if (i < 3) continue; // warm-up
    wall[name].push(performance.now() - t);
    cpu[name] += childCpu() - c;
  }
}
await Promise.all(Object.values(boxes).map((b) => b.close()));
const m = Object.fromEntries(Object.entries(wall).map(([k, v]) => [k, median(v)]));
console.log(`Sandbox cost per Bash call (\`true\`, ${RUNS} runs each, in turn, medians)`);
console.log(`  floor (no sandbox) ${m.floor.toFixed(1)} ms   sandboxed ${m.sandboxed.toFixed(1)} ms   added ${(m.sandboxed - m.floor).toFixed(1)} ms (target <= 15 ms)`);
console.log(`  sandboxed without the unix-socket filter ${m['no filter'].toFixed(1)} ms   glm's own work per call (policy, prepare) ${median(prepareMs).toFixed(2)} ms`);
const per = (k) => (cpu[k] / RUNS).toFixed(1);
console.log(`  CPU time of the started processes per call (user + system): floor ${per('floor')} ms   sandboxed ${per('sandboxed')} ms   without the filter ${per('no filter')} ms`);
console.log(`  one-time bwrap probe per process (at the first command): ${probeMs.toFixed(1)} ms   (load average now ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);

// A large project: the first command of a session (the whole walk) and later ones (one stat per folder).
const FILES = Number(process.env.BENCH_FILES ?? 50_000);
const big = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-sandbox-big-'));
execFileSync('git', ['init', '-q', big]);
for (let d = 0; d < FILES / 20; d++) {
  const dir = path.join(big, `pkg${Math.floor(d / 50)}`, `mod${d % 50}`);
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 20; f++) writeFileSync(path.join(dir, `file${f}.ts`), '');
}
await new Promise((r) => setTimeout(r, 2_100)); // a real project's folders are older than the walk's settle time
const LATER = 15;
const rows = {};
for (const [name, rules] of [['no deny pattern', []], ['Read(**/.env)', ['Read(**/.env)']]]) {
  const box = sandbox({}, big, rules);
  await box.state();
  const times = [];
  const own = [];
  for (let i = 0; i <= LATER; i++) {
    const t = performance.now();
    const prepared = await box.prepare();
    own.push(performance.now() - t);
    if ('refused' in prepared) throw new Error(prepared.refused);
    const r = await runForeground('true', { cwd: big, timeoutMs: 30_000, signal, wrap: prepared.wrap });
    if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.output}`);
    times.push(performance.now() - t);
  }
  await box.close();
  rows[name] = { first: times[0], later: median(times.slice(1)), ownFirst: own[0], ownLater: median(own.slice(1)) };
}
rmSync(big, { recursive: true, force: true });
console.log(`A project of ${FILES} files in ${FILES / 20} folders, one Bash call (\`true\`, prepare + run; later: median of ${LATER})`);
for (const [name, r] of Object.entries(rows)) console.log(`  ${name.padEnd(16)} first command ${r.first.toFixed(1)} ms (glm's own work ${r.ownFirst.toFixed(1)} ms)   later commands ${r.later.toFixed(1)} ms (glm's own work ${r.ownLater.toFixed(1)} ms)`);
