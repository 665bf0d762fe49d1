// Writes a Conventional Commits message for a diff: one tool-less model session with prompts/commit.md, the diff
// (summarised, never silently cut, when it is too big) and recent subjects for style; asked once more when the
// subject does not fit. Imports the session; never the CLI or UI.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import commitSystem from '../../prompts/commit.md';
import { Session } from '../session.ts';
import { projectSessionsDir } from '../transcript.ts';
import type { Config, ModelClient } from '../types.ts';
import { diffBudget } from './chunks.ts';
import type { CollectedDiff } from './diff.ts';

const SUBJECT = /^(feat|fix|docs|style|refactor|perf|test|build|ci|chore|revert)(\([^()\n]+\))?!?: \S/;
export const MAX_SUBJECT = 72;

/** Why a message is not acceptable, or undefined. */
export function subjectProblem(message: string): string | undefined {
  const subject = message.split('\n')[0] ?? '';
  if (!SUBJECT.test(subject)) return `the first line "${subject}" is not in the Conventional Commits form type(scope): subject`;
  if (subject.length >= MAX_SUBJECT) return `the first line has ${subject.length} characters; keep it under ${MAX_SUBJECT}`;
  return undefined;
}

/** The model's reply as a commit message: no code fence, quotes or "Commit message:" label, tidy blank lines. */
export function cleanMessage(text: string): string {
  let t = text.trim();
  const fenced = /^```[\w-]*\n([\s\S]*?)\n```$/.exec(t);
  if (fenced) t = fenced[1]!.trim();
  t = t.replace(/^(commit message|message)\s*:\s*\n?/i, '').trim();
  if (/^(["'`]).*\1$/s.test(t)) t = t.slice(1, -1).trim();
  const [subject = '', ...rest] = t.split('\n');
  const body = rest.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return body ? `${subject.trim()}\n\n${body}` : subject.trim();
}

/** The user message: recent subjects, the file list with counts, and as much diff as fits (the rest is named). */
export function commitUserPrompt(diff: CollectedDiff, recent: string[], budget: number): string {
  const lines: string[] = [];
  if (recent.length) lines.push('Recent commit subjects in this repository (follow their style):', ...recent.map((s) => `- ${s}`), '');
  lines.push('Files in this change:', ...diff.files.map((f) => `- ${f.path} (${f.status}, +${f.additions} -${f.deletions})`));
  for (const s of diff.skipped) lines.push(`- ${s.file} (${s.reason}; diff not shown)`);
  let used = 0;
  const shown: string[] = [];
  const left: string[] = [];
  for (const f of diff.files) {
    if (used + f.patch.length <= budget) {
      shown.push(f.patch);
      used += f.patch.length;
    } else left.push(f.path);
  }
  lines.push('', 'The diff:', '', ...shown.map((p) => p.replace(/\n$/, '')));
  if (left.length) lines.push('', `[The diff of ${left.length} more file${left.length === 1 ? '' : 's'} is too large to show: ${left.join(', ')}. Judge them from the list above.]`);
  lines.push('', 'Write the commit message.');
  return lines.join('\n');
}

export interface MessageRun {
  config: Config;
  client: ModelClient;
  diff: CollectedDiff;
  recent: string[];
  signal: AbortSignal;
}

export type MessageResult = { ok: true; message: string; warning?: string } | { ok: false; error: string };

export async function writeCommitMessage(run: MessageRun): Promise<MessageResult> {
  const config: Config = { ...run.config, maxTurns: 2 };
  const session = await Session.open({ config, client: run.client, tools: { names: [], schemas: [], load: async () => [] }, systemOverride: commitSystem, transcript: false });
  let lastError: string | undefined;
  session.subscribe((e) => {
    if (e.type === 'error') lastError = e.message;
  });
  const onAbort = () => session.abort();
  run.signal.addEventListener('abort', onAbort);
  try {
    const budget = Math.min(60_000, diffBudget(config.modelInfo.contextWindow));
    let done = await session.run(commitUserPrompt(run.diff, run.recent, budget));
    if (done.reason !== 'completed') return { ok: false, error: lastError ?? `the model stopped (${done.reason})` };
    let message = cleanMessage(done.text);
    const problem = subjectProblem(message);
    if (!problem) return { ok: true, message };
    done = await session.run(`That message does not fit: ${problem}. Reply with the corrected commit message only.`);
    if (done.reason === 'completed' && cleanMessage(done.text)) message = cleanMessage(done.text);
    if (!message) return { ok: false, error: 'the model wrote an empty message' };
    const still = subjectProblem(message);
    return still ? { ok: true, message, warning: still } : { ok: true, message };
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    await session.close();
    await rm(path.join(projectSessionsDir(config.dataDir, config.projectRoot), session.id), { recursive: true, force: true });
  }
}
