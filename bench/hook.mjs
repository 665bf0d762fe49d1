// Issue #4's speed numbers: what the pre-commit review hook adds to `git commit`, with an instant model.
//   no hook: `git commit` of a small staged change in a repository without hooks (the floor);
//   first review: the same in a repository with `glm hook install` (new content each run, so a real review);
//   cached verdict: the same staged content committed again after `git reset --soft HEAD~1` (served from the
//   review cache, no request). Targets: hook ≤ +250 ms over no hook, cached ≤ +150 ms.
// Run: npm run bench (builds first), or node bench/hook.mjs after npm run build.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, sseToolCall, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = path.join(root, 'bin/glm.js');
const node = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const server = await startBenchServer(() => sseToolCall('ReportReview', { verdict: 'pass', summary: 'ok', findings: [] }));
const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-hook-'));
const env = {
  PATH: process.env.PATH,
  HOME: dir,
  XDG_CONFIG_HOME: path.join(dir, 'config'),
  XDG_DATA_HOME: path.join(dir, 'data'),
  GLM_API_KEY: 'bench',
  GLM_BASE_URL: server.url,
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

function gitSync(repo, args) {
  const r = spawnSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

function makeRepo(name) {
  const repo = path.join(dir, name);
  mkdirSync(path.join(repo, 'src'), { recursive: true });
  gitSync(repo, ['init', '-q']);
  writeFileSync(path.join(repo, 'src/app.js'), 'export const version = 0;\n');
  gitSync(repo, ['add', '.']);
  gitSync(repo, ['commit', '-q', '--no-verify', '-m', 'initial']);
  return repo;
}

let counter = 0;
/** Stages a small change with content never seen before (so the review cache cannot answer it). */
function stageFresh(repo) {
  counter++;
  writeFileSync(path.join(repo, 'src/app.js'), `export const version = ${counter};\nexport const label = 'build ${counter}';\n`);
  gitSync(repo, ['add', 'src/app.js']);
}

/** Wall ms of one `git commit`. Async: the bench server runs in this process. */
function timeCommit(repo, message) {
  const t0 = performance.now();
  const child = spawn('git', ['commit', '-q', '-m', message], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  return new Promise((resolve, reject) =>
    child.on('close', (status) => {
      const ms = performance.now() - t0;
      if (status !== 0) return reject(new Error(`git commit failed (${status}) in ${repo}: ${stderr}`));
      resolve({ ms, stderr });
    }),
  );
}

const plain = makeRepo('plain');
const hooked = makeRepo('hooked');
const install = spawnSync(node, [glm, 'hook', 'install'], { cwd: hooked, env, encoding: 'utf8' });
if (install.status !== 0) throw new Error(`glm hook install failed (${install.status}): ${install.stderr}`);

// One unmeasured round to warm the file cache and the disk.
stageFresh(plain);
await timeCommit(plain, 'warm');
stageFresh(hooked);
await timeCommit(hooked, 'warm');

const none = [], first = [], cached = [];
let requestsForFirst = 0, requestsForCached = 0, cachedSeen = 0;
for (let i = 0; i < RUNS; i++) {
  stageFresh(plain);
  none.push((await timeCommit(plain, `plain ${i}`)).ms);

  stageFresh(hooked);
  let before = server.log.length;
  first.push((await timeCommit(hooked, `review ${i}`)).ms);
  requestsForFirst += server.log.length - before;

  // The same staged content again: undo the commit, keep the index, commit again.
  gitSync(hooked, ['reset', '-q', '--soft', 'HEAD~1']);
  before = server.log.length;
  const again = await timeCommit(hooked, `review ${i} again`);
  cached.push(again.ms);
  requestsForCached += server.log.length - before;
  if (/cached/.test(again.stderr)) cachedSeen++;
}
await server.close();
rmSync(dir, { recursive: true, force: true });

const mNone = median(none), mFirst = median(first), mCached = median(cached);
const row = (label, ms, target) => {
  const over = ms - mNone;
  const verdict = target === undefined ? '' : `   target ≤ +${target} ms   ${over <= target ? 'met' : 'NOT met'}`;
  return `  ${label.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms   ${target === undefined ? '(floor)' : `+${over.toFixed(1)} ms`.padStart(11)}${verdict}`;
};
console.log(`git commit with the glm pre-commit hook (instant model), ${RUNS} runs each, medians`);
console.log(row('no hook', mNone));
console.log(row('hook, first review', mFirst, 250));
console.log(row('hook, cached verdict', mCached, 150));
console.log(`  requests: ${requestsForFirst} for ${RUNS} first reviews, ${requestsForCached} for ${RUNS} cached commits (${cachedSeen}/${RUNS} said "cached")`);
