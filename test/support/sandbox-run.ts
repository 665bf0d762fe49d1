// Real bubblewrap without glm around it, for the sandbox tests: a fresh git project and home, a CommandSandbox
// (closed after each test), and running a shell script through its launch argv.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { CommandSandbox, type SandboxOptions } from '../../src/sandbox/sandbox.ts';

const open: CommandSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A git project and a home beside it, in a fresh temp folder. */
export function folders() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'glm-mounts-'));
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  mkdirSync(home);
  execFileSync('git', ['init', '-q', project]);
  return { root, project, home };
}

export function sandbox(o: Partial<SandboxOptions> & { projectRoot: string; home: string }): CommandSandbox {
  const s = new CommandSandbox({ config: { mode: 'on', allowWrite: [], allowedDomains: [], hooks: false }, additionalDirs: [], denyRules: () => [], configDir: '/nonexistent', env: { PATH: process.env.PATH }, ...o });
  open.push(s);
  return s;
}

/**
 * Runs `script` with sh inside the sandbox, in `cwd`, as the Bash tool does (prepare, wrap, and ended() once it has
 * exited); resolves to its stdout and stderr together.
 */
export async function run(s: CommandSandbox, cwd: string, script: string): Promise<string> {
  const prepared = await s.prepare();
  if ('refused' in prepared) throw new Error(prepared.refused);
  const launch = prepared.wrap(['/bin/sh', '-c', script], cwd, { PATH: process.env.PATH });
  return new Promise((resolve) => {
    execFile(launch.argv[0]!, launch.argv.slice(1), { env: launch.env, timeout: 20_000 }, (_err, out, err) => {
      s.ended();
      resolve(`${out}${err}`);
    });
  });
}

/** git with a fixed identity and local file submodules allowed. */
export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'protocol.file.allow=always', ...args], { cwd, encoding: 'utf8', stdio: 'pipe' });

/** Gives `f.project` a commit, a submodule `lib` (from `f.root/up`) and a worktree `f.root/wt`; returns the worktree. */
export function withSubmoduleAndWorktree(f: { root: string; project: string }): string {
  git(f.project, 'commit', '-q', '--allow-empty', '-m', 'base');
  const up = path.join(f.root, 'up');
  mkdirSync(up);
  git(up, 'init', '-q');
  git(up, 'commit', '-q', '--allow-empty', '-m', 'u');
  git(f.project, 'submodule', 'add', '-q', up, 'lib');
  git(f.project, 'commit', '-qm', 'sub');
  const wt = path.join(f.root, 'wt');
  git(f.project, 'worktree', 'add', '-q', wt);
  return wt;
}
