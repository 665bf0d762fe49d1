// Runs the agentic review of a diff: one session per chunk with the read-only tools and ReportReview, asked once
// more when it ends without a report, all bounded by one abort signal (the --timeout). Failures come back as
// reasons, never throws. Imports the session and tools; never the CLI or UI.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Session } from '../session.ts';
import { projectSessionsDir } from '../transcript.ts';
import { addUsage, emptyUsage, type Config, type ModelClient, type Usage } from '../types.ts';
import { globTool } from '../../tools/glob.ts';
import { grepTool } from '../../tools/grep.ts';
import { lsTool } from '../../tools/ls.ts';
import { readTool } from '../../tools/read.ts';
import { toolSet } from '../../tools/index.ts';
import type { Chunk } from './chunks.ts';
import type { CollectedDiff } from './diff.ts';
import { createReportReviewTool, type ReviewReport } from './report-review.ts';

export type ChunkResult = { ok: true; report: ReviewReport } | { ok: false; reason: string };

export interface ReviewRun {
  config: Config;
  client: ModelClient;
  /** Review instructions for the system prompt. */
  system: string;
  /** "staged changes", "changes in main..topic", … */
  what: string;
  signal: AbortSignal;
}

const REMINDER =
  'You ended without calling ReportReview. Call ReportReview now with your verdict, a one-sentence summary and your findings (an empty list if there are none). Do not answer with text.';

/** Reviews every chunk (a few at a time) and returns one result per chunk plus the tokens spent. */
export async function reviewChunks(chunks: Chunk[], diff: CollectedDiff, run: ReviewRun): Promise<{ results: ChunkResult[]; usage: Usage }> {
  const usage = emptyUsage();
  const limit = Math.max(1, Math.min(run.config.concurrency, 4));
  const results = await pool(chunks, limit, async (chunk, i) => {
    const { result, spent } = await reviewChunk(chunkPrompt(chunk, i, chunks, diff, run.what), run);
    addUsage(usage, spent);
    return result.ok ? { ok: true as const, report: normaliseFiles(result.report, diff) } : result;
  });
  return { results, usage };
}

async function reviewChunk(prompt: string, run: ReviewRun): Promise<{ result: ChunkResult; spent: Usage }> {
  let report: ReviewReport | undefined;
  let session: Session | undefined;
  const tool = createReportReviewTool((r) => {
    report ??= r;
    // The report is the answer: stop here rather than pay for a closing reply.
    session?.abort();
  });
  try {
    session = await Session.open({
      config: run.config,
      client: run.client,
      tools: toolSet([readTool, grepTool, globTool, lsTool, tool]),
      systemOverride: run.system,
      transcript: false,
    });
  } catch (err) {
    return { result: { ok: false, reason: `could not start the review: ${err instanceof Error ? err.message : String(err)}` }, spent: emptyUsage() };
  }
  const open = session;
  let lastError: string | undefined;
  const unsubscribe = open.subscribe((e) => {
    if (e.type === 'error') lastError = e.message;
  });
  const onAbort = () => open.abort();
  run.signal.addEventListener('abort', onAbort);
  try {
    if (run.signal.aborted) return { result: { ok: false, reason: 'aborted' }, spent: emptyUsage() };
    let done = await open.run(prompt);
    if (!report && done.reason === 'completed' && !run.signal.aborted) done = await open.run(REMINDER);
    if (report) return { result: { ok: true, report }, spent: { ...open.usage } };
    if (run.signal.aborted) return { result: { ok: false, reason: 'aborted' }, spent: { ...open.usage } };
    const reason = lastError ?? (done.reason === 'completed' ? 'the model ended twice without calling ReportReview' : `the review stopped (${done.reason})`);
    return { result: { ok: false, reason }, spent: { ...open.usage } };
  } finally {
    run.signal.removeEventListener('abort', onAbort);
    unsubscribe();
    await open.close();
    // Review sessions keep nothing: no transcript, and their spill folder goes too.
    await rm(path.join(projectSessionsDir(run.config.dataDir, run.config.projectRoot), open.id), { recursive: true, force: true });
  }
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function chunkPrompt(chunk: Chunk, index: number, chunks: Chunk[], diff: CollectedDiff, what: string): string {
  const adds = diff.files.reduce((n, f) => n + f.additions, 0);
  const dels = diff.files.reduce((n, f) => n + f.deletions, 0);
  const lines = [`Review these ${what} before they are committed.`, `The change: ${diff.files.length} file${diff.files.length === 1 ? '' : 's'}, +${adds} -${dels}.`];
  if (chunks.length > 1) {
    const others = [...new Set(chunks.flatMap((c, i) => (i === index ? [] : c.files)))].filter((f) => !chunk.files.includes(f));
    lines.push(
      `The diff is too large for one review, so it is reviewed in ${chunks.length} parts; this is part ${index + 1}, with: ${chunk.files.join(', ')}.` +
        (others.length ? ` Other parts (reviewed separately) cover: ${others.join(', ')}.` : ''),
    );
  }
  if (diff.skipped.length) lines.push(`Not shown and not to be reviewed: ${diff.skipped.map((s) => `${s.file} (${s.reason})`).join(', ')}.`);
  const f = fence(chunk.text);
  lines.push('', `${f}diff`, chunk.text.replace(/\n$/, ''), f, '', 'Check what you need with the read-only tools, then call ReportReview.');
  return lines.join('\n');
}

/** Models sometimes keep git's a/ b/ prefixes: map those back to the file's path. */
function normaliseFiles(report: ReviewReport, diff: CollectedDiff): ReviewReport {
  const known = new Set(diff.files.map((f) => f.path));
  const findings = report.findings.map((f) => {
    if (known.has(f.file)) return f;
    const stripped = f.file.replace(/^[ab]\//, '').replace(/^\.\//, '');
    return known.has(stripped) ? { ...f, file: stripped } : f;
  });
  return { ...report, findings };
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
