// Helpers for the review, hook and commit tests: a sandbox repo with staged changes, `git commit` run the way a
// user runs it (hooks and all, with the sandbox's environment), and ReportReview replies for the fake server.
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toolCalls, type ReplyStep } from '../support/fake-glm-server.ts';
import type { Sandbox } from '../support/run-glm.ts';

export const GIT_ID = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

export function git(sb: Sandbox, args: string[], env: Record<string, string> = {}) {
  return execa('git', args, { cwd: sb.repo, env: { ...sb.env, ...GIT_ID, GIT_EDITOR: 'true', ...env }, extendEnv: false, reject: false, stdin: 'ignore', timeout: 30_000 });
}

export async function writeFiles(sb: Sandbox, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(sb.repo, name)), { recursive: true });
    await writeFile(path.join(sb.repo, name), content);
  }
}

/** Writes and stages files. */
export async function stage(sb: Sandbox, files: Record<string, string>): Promise<void> {
  await writeFiles(sb, files);
  await git(sb, ['add', '--', ...Object.keys(files)]);
}

export async function commitCount(sb: Sandbox): Promise<number> {
  return Number((await git(sb, ['rev-list', '--count', 'HEAD'])).stdout.trim());
}

export interface FakeFinding {
  file: string;
  line: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export const report = (verdict: 'pass' | 'fail', summary: string, findings: FakeFinding[] = []): ReplyStep =>
  toolCalls([{ name: 'ReportReview', arguments: { verdict, summary, findings } }]);

/** The user message of a review request (the diff the model was shown). */
export const userText = (body: { messages: { role: string; content: string }[] }) => body.messages.find((m) => m.role === 'user')?.content ?? '';
export const systemText = (body: { messages: { role: string; content: string }[] }) => body.messages.find((m) => m.role === 'system')?.content ?? '';

/** User settings in the sandbox home (e.g. no retries, so an unreachable endpoint fails at once). */
export async function userSettings(sb: Sandbox, settings: Record<string, unknown>): Promise<void> {
  const dir = path.join(sb.home, '.config', 'glm-code');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'settings.json'), JSON.stringify(settings));
}
