// `glm commit [-a] [--dry-run] [--edit]`: a Conventional Commits message for the staged change (or all tracked
// changes with -a), committed through `git commit` so the user's hooks run; --dry-run only prints it.
// Imports config, the model client and git wrapper; no UI.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { configFromOptions, type CommonOptions } from '../cli-options.ts';
import { createModelClientFromConfig } from '../model/client.ts';
import { collectDiff, type CollectedDiff } from './diff.ts';
import { git, gitInteractive, gitRoot, GitError } from './git.ts';
import { writeCommitMessage } from './commit-message.ts';
import { loadSkipRules } from './skip.ts';
import { timeoutMs } from '../option-values.ts';

export interface CommitOptions extends CommonOptions {
  all?: boolean;
  dryRun?: boolean;
  edit?: boolean;
  timeout: string;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

async function recentSubjects(root: string): Promise<string[]> {
  const r = await git(['log', '-n', '10', '--no-merges', '--format=%s'], root);
  return r.code === 0 ? r.stdout.split('\n').filter(Boolean) : [];
}

/** Returns the exit code: git's own for a real commit. */
export async function runCommit(opts: CommitOptions, out: Output, cwd = process.cwd()): Promise<number> {
  const timeout = timeoutMs(opts.timeout);
  if (timeout.error !== undefined) {
    out.stderr(`glm: ${timeout.error}\n`);
    return 2;
  }
  const root = await gitRoot(cwd);
  if (!root) {
    out.stderr('glm: not inside a git repository\n');
    return 2;
  }
  let diff: CollectedDiff;
  try {
    diff = await collectDiff(opts.all ? { kind: 'tracked' } : { kind: 'staged' }, root, root, loadSkipRules(root));
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    out.stderr(`glm: ${err.message}\n`);
    return 1;
  }
  if (diff.files.length === 0 && diff.skipped.length === 0) {
    out.stderr(`glm: nothing ${opts.all ? 'changed in tracked files' : 'staged'} to commit; ${opts.all ? 'add new files with git add' : 'stage changes with git add, or use -a'}\n`);
    return 1;
  }
  const config = configFromOptions(opts);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout.ms);
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  let result;
  try {
    result = await writeCommitMessage({ config, client: createModelClientFromConfig(config, { retryUnreachable: false }), diff, recent: await recentSubjects(root), signal: controller.signal });
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
  }
  if (!result.ok) {
    const why = controller.signal.aborted ? `timed out after ${timeout.ms / 1000} s (--timeout)` : result.error;
    out.stderr(`glm: could not write a commit message: ${why}\n`);
    return 1;
  }
  if (result.warning) out.stderr(`glm: note: ${result.warning}\n`);
  if (opts.dryRun) {
    out.stdout(result.message + '\n');
    return 0;
  }
  return commitWith(result.message, root, opts);
}

async function commitWith(message: string, root: string, opts: CommitOptions): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glm-commit-'));
  const file = path.join(dir, 'COMMIT_MSG');
  try {
    await writeFile(file, message + '\n');
    return await gitInteractive(['commit', ...(opts.all ? ['-a'] : []), '-F', file, ...(opts.edit ? ['--edit'] : [])], root);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
