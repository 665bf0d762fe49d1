// Where the benches run glm: a scratch git repository with its own HOME and XDG folders (no user settings, no
// sessions of the user's), pointed at the bench's fake server; and the wall time of one run in it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `{dir, repo, env}`: a fresh folder `dir` (HOME) holding the git repository `repo`; `env` points glm at `url`. */
export function scratchRepo(prefix, url) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const repo = path.join(dir, 'repo');
  mkdirSync(repo);
  spawnSync('git', ['init', '-q'], { cwd: repo });
  const env = { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'c'), XDG_DATA_HOME: path.join(dir, 'd'), GLM_API_KEY: 'bench', GLM_BASE_URL: url };
  return { dir, repo, env };
}

/** Wall ms of `node args` in `repo`; rejects with its stderr when it exits non-zero. */
export function timedRun({ repo, env }, args, extraEnv = {}) {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: repo, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')}: exit ${code}: ${stderr}`)))),
  );
}
