// How a review ends: the exit code (0 pass, 1 blocking findings, 4 not done with --strict) and what is printed:
// `file:line severity message` lines on stderr in text mode, one JSON object on stdout in json mode.
// Pure formatting; imports only types.
import type { Usage } from '../types.ts';
import type { SkippedFile } from './diff.ts';
import type { Finding, Severity } from './report-review.ts';

export const REVIEW_EXIT = { pass: 0, findings: 1, usage: 2, notDone: 4, interrupted: 130 } as const;

export interface ReviewOutcome {
  /** not_done: the review could not be completed (endpoint down, timeout, no key, no report). */
  state: 'done' | 'not_done';
  /** The model's verdict (fail if any part failed). */
  verdict: 'pass' | 'fail';
  summary: string;
  findings: Finding[];
  reviewed: { files: number; additions: number; deletions: number };
  skipped: SkippedFile[];
  cached: boolean;
  usage: Usage;
  /** Why the review is not done. */
  error?: string;
  fix?: { fixed: string[]; untouched: { file: string; reason: string }[] };
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export const blockingFindings = (findings: Finding[], failOn: Severity): Finding[] => findings.filter((f) => RANK[f.severity] >= RANK[failOn]);

/** Blocks on findings at or above --fail-on; a "fail" verdict with no findings at all blocks too. */
export function isBlocking(o: ReviewOutcome, failOn: Severity): boolean {
  return blockingFindings(o.findings, failOn).length > 0 || (o.verdict === 'fail' && o.findings.length === 0);
}

export function reviewExitCode(o: ReviewOutcome, failOn: Severity, strict: boolean): number {
  if (isBlocking(o, failOn)) return REVIEW_EXIT.findings;
  if (o.state === 'not_done') return strict ? REVIEW_EXIT.notDone : REVIEW_EXIT.pass;
  return REVIEW_EXIT.pass;
}

const usageJson = (u: Usage) => ({ input_tokens: u.inputTokens, output_tokens: u.outputTokens, cached_tokens: u.cachedTokens, reasoning_tokens: u.reasoningTokens });

export function reviewJson(o: ReviewOutcome, failOn: Severity, durationMs: number): Record<string, unknown> {
  const verdict = o.state === 'not_done' && !isBlocking(o, failOn) ? 'not_done' : isBlocking(o, failOn) ? 'fail' : 'pass';
  return {
    verdict,
    summary: o.summary,
    findings: o.findings,
    reviewed: o.reviewed,
    skipped: o.skipped,
    cached: o.cached,
    duration_ms: durationMs,
    usage: usageJson(o.usage),
    ...(o.error !== undefined && { error: o.error }),
    ...(o.fix && { fix: o.fix }),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The one-line warning of a review that could not be done (printed in json mode too). */
export function notDoneLine(o: ReviewOutcome, strict: boolean): string {
  const then = strict ? 'blocking the commit (--strict)' : 'not blocking the commit (--strict would)';
  return `glm review: warning: could not review the change (${o.error ?? 'unknown reason'}); ${then}`;
}

/** The text-mode report, written for someone looking at a failed `git commit`. */
export function reviewText(o: ReviewOutcome, failOn: Severity, strict: boolean): string {
  const out: string[] = [];
  const order = [...o.findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  for (const f of order) out.push(`${f.line > 0 ? `${f.file}:${f.line}` : f.file} ${f.severity} ${f.message.replace(/\s*\n\s*/g, ' ')}`);
  for (const file of o.fix?.fixed ?? []) out.push(`glm review: fixed and re-staged ${file}`);
  for (const u of o.fix?.untouched ?? []) out.push(`glm review: did not fix ${u.file}: ${u.reason}`);
  if (o.skipped.length) out.push(`glm review: not reviewed: ${o.skipped.map((s) => `${s.file} (${s.reason})`).join(', ')}`);
  const scope = `${plural(o.reviewed.files, 'file')}, +${o.reviewed.additions} -${o.reviewed.deletions}${o.cached ? ', cached' : ''}`;
  const blocking = isBlocking(o, failOn);
  if (o.state === 'not_done' && !blocking) return [...out, notDoneLine(o, strict)].join('\n') + '\n';
  const counts = (['error', 'warning', 'info'] as const)
    .map((s) => [s, o.findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => plural(n, s));
  const result = blocking ? 'blocked' : 'passed';
  const why = blocking && o.findings.length === 0 ? 'the reviewer failed the change without findings' : counts.join(', ') || 'no findings';
  out.push(`glm review: ${result}: ${why} (${scope})${o.summary ? `. ${o.summary.replace(/\s*\n\s*/g, ' ')}` : ''}`);
  if (blocking) out.push(`glm review: fix the ${failOn === 'error' ? 'errors' : `findings at ${failOn} or above`}, or skip this review with GLM_SKIP_REVIEW=1 (git commit --no-verify skips every hook)`);
  return out.join('\n') + '\n';
}
