// Running git for review, hooks and commits: a thin promise wrapper over child_process (faster to load than
// execa in a pre-commit hook), every argv built by gitArgv. Never reads a terminal. Imports node built-ins and
// git-args.ts only.
import { execFile, spawn } from 'node:child_process';
import { gitArgv, gitEnv, repoFilterOverrides } from '../git-args.ts';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export class GitError extends Error {}

export interface GitOptions {
  input?: string;
  /** Leave core.hooksPath alone (see gitArgv): only to ask git where the hooks are. */
  userHooks?: boolean;
}

/** Runs git with a closed stdin; never throws for a non-zero exit (the code is in the result). */
export function git(args: string[], cwd: string, opts: GitOptions = {}): Promise<GitResult> {
  // The repository's filter drivers are off (see repoFilterOverrides), except for questions about hooks.
  const filters = opts.userHooks ? [] : repoFilterOverrides(cwd);
  if (!filters) return Promise.reject(new GitError("the repository's .git/config includes files glm cannot follow (include.path); glm runs no git here"));
  return new Promise((resolve, reject) => {
    const child = execFile('git', gitArgv(args, { ...opts, filters }), { cwd, env: gitEnv(), maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
        reject(new GitError(`git could not be run (${(err as NodeJS.ErrnoException).code}); is git installed and on PATH?`));
        return;
      }
      const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
      resolve({ stdout, stderr, code });
    });
    // git may exit before reading its input: a closed pipe is not an error here.
    child.stdin?.on('error', () => {});
    if (opts.input) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Runs git and returns stdout; a non-zero exit throws with git's own message. */
export async function gitOk(args: string[], cwd: string, opts: GitOptions = {}): Promise<string> {
  const r = await git(args, cwd, opts);
  if (r.code !== 0) throw new GitError(r.stderr.trim().split('\n')[0] || `git ${args[0]} failed with exit code ${r.code}`);
  return r.stdout;
}

/** The top of the work tree, or undefined outside a git repository. */
export async function gitRoot(cwd: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--show-toplevel'], cwd);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Runs git with the user's terminal (editor, hook output) and the user's hooks: for what the user asked glm to do
 * in their name (`glm commit` → `git commit`). Resolves with its exit code.
 */
export function gitInteractive(args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('git', gitArgv(args, { userHooks: true }), { cwd, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
