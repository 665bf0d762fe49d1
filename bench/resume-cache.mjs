// How much of each request repeats the previous one as an unchanged prefix (what the provider's prompt cache can
// serve), over a scripted session that is resumed with `glm -p --continue` after the repository changed.
// Target: every request, the resumed one included, repeats >= 99% of the previous one.
// Run: npm run build && node_modules/.bin/node bench/resume-cache.mjs (BENCH_GLM=/other/bin/glm.js for another build).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sseText, sseToolCall, startBenchServer } from './sse-server.mjs';

const root = path.resolve(import.meta.dirname, '..');
const glm = process.env.BENCH_GLM ?? path.join(root, 'bin/glm.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-bench-cache-'));
const repo = path.join(dir, 'repo');
mkdirSync(repo);
const git = (...args) => spawnSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@b', ...args], { cwd: repo });
git('init', '-q');
writeFileSync(path.join(repo, 'notes.txt'), 'Line one.\n'.repeat(200));
git('add', '-A');
git('commit', '-qm', 'init');
const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'c'), XDG_DATA_HOME: path.join(dir, 'd'), GLM_API_KEY: 'bench' };

// Each prompt reads the file, then answers.
const server = await startBenchServer((body) => (body.messages.at(-1).role === 'tool' ? sseText('Read it.') : sseToolCall('Read', { file_path: 'notes.txt' })));
/** Async: the bench server answers from this process. */
const run = (...args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [glm, '-p', ...args], { cwd: repo, env: { ...env, GLM_BASE_URL: server.url }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`glm ${args.join(' ')} failed: ${stderr}`))));
  });

await run('read the notes');
writeFileSync(path.join(repo, 'notes.txt'), 'Changed.\n'); // the git status (and so the environment block) changes
writeFileSync(path.join(repo, 'new.txt'), 'new\n');
await run('--continue', 'read them again');
await run('--continue', 'and once more');
await server.close();

/** What the provider sees, in the order it tokenizes it: tools, then the messages (system first). */
const serial = (body) => JSON.stringify(body.tools ?? []) + JSON.stringify(body.messages);
const prefix = (a, b) => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};
const labels = ['prompt 1, tool result', 'resume 1 (--continue)', 'resume 1, tool result', 'resume 2 (--continue)', 'resume 2, tool result'];
let worst = 1;
console.log('request                  repeats of the previous request');
for (let i = 1; i < server.log.length; i++) {
  const before = serial(server.log[i - 1].body);
  const ratio = prefix(before, serial(server.log[i].body)) / before.length;
  worst = Math.min(worst, ratio);
  console.log(`${(labels[i - 1] ?? `request ${i + 1}`).padEnd(24)} ${(100 * ratio).toFixed(1)}%`);
}
console.log(`worst: ${(100 * worst).toFixed(1)}% (target >= 99%)`);
