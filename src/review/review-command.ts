// `glm review`: collects the diff, serves a cached verdict or runs the agentic review (and --fix), and maps the
// outcome to output and an exit code. Fail-open: a review that cannot be done (endpoint down, timeout, no key)
// lets the commit through with a warning unless --strict. Never reads a terminal. Imports no UI.
import type { CommonOptions } from '../cli-options.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { addUsage, emptyUsage, type Config, type Usage } from '../types.ts';
import { cacheKey, readCachedReview, writeCachedReview } from './cache.ts';
import { diffBudget, planChunks } from './chunks.ts';
import { collectDiff, type CollectedDiff, type DiffSource } from './diff.ts';
import { GitError, gitRoot } from './git.ts';
import { SEVERITIES, type Severity } from './severity.ts';
import { blockingFindings, isBlocking, notDoneLine, REVIEW_EXIT, reviewExitCode, reviewJson, reviewText, type ReviewOutcome } from './output.ts';
import { loadReviewRules } from './rules.ts';
import { loadSkipRules } from './skip.ts';
import { untrustedNotice } from '../trust.ts';
import { formatError, timeoutMs } from '../option-values.ts';

export interface ReviewOptions extends CommonOptions {
  staged?: boolean;
  range?: string;
  failOn: string;
  strict?: boolean;
  fix?: boolean;
  timeout: string;
  outputFormat: string;
  /** commander's --no-cache */
  cache: boolean;
}

interface Output {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Settings {
  source: DiffSource;
  failOn: Severity;
  timeoutMs: number;
  json: boolean;
}

class UsageError extends Error {}

function parseSettings(paths: string[], opts: ReviewOptions): Settings {
  if (!SEVERITIES.includes(opts.failOn as Severity)) throw new UsageError(`--fail-on must be error, warning or info, not "${opts.failOn}"`);
  const timeout = timeoutMs(opts.timeout);
  if (timeout.error !== undefined) throw new UsageError(timeout.error);
  const badFormat = formatError(opts.outputFormat, ['text', 'json']);
  if (badFormat) throw new UsageError(badFormat);
  const picked = [opts.range !== undefined, paths.length > 0].filter(Boolean).length + (opts.staged ? 1 : 0);
  if (picked > 1) throw new UsageError('choose one of --staged, --range A..B or paths');
  const source: DiffSource = opts.range !== undefined ? { kind: 'range', range: opts.range } : paths.length ? { kind: 'paths', paths } : { kind: 'staged' };
  if (opts.fix && source.kind !== 'staged') throw new UsageError('--fix works on the staged change only (it re-stages what it fixes)');
  return { source, failOn: opts.failOn as Severity, timeoutMs: timeout.ms, json: opts.outputFormat === 'json' };
}

const WHAT: Record<DiffSource['kind'], string> = { staged: 'staged changes', range: 'committed changes', paths: 'working-tree changes', tracked: 'changes' };

/** Returns the exit code. */
export async function runReview(paths: string[], opts: ReviewOptions, out: Output, cwd = process.cwd()): Promise<number> {
  const started = Date.now();
  let settings: Settings;
  try {
    settings = parseSettings(paths, opts);
  } catch (err) {
    out.stderr(`glm: ${(err as Error).message}\n`);
    return REVIEW_EXIT.usage;
  }
  const skipEnv = process.env.GLM_SKIP_REVIEW;
  if (skipEnv && skipEnv !== '0') {
    out.stderr('glm review: skipped (GLM_SKIP_REVIEW is set)\n');
    return REVIEW_EXIT.pass;
  }
  const root = await gitRoot(cwd);
  if (!root) {
    out.stderr('glm: not inside a git repository; glm review reviews git changes\n');
    return REVIEW_EXIT.usage;
  }
  const skipRules = loadSkipRules(root);
  let diff: CollectedDiff;
  try {
    diff = await collectDiff(settings.source, cwd, root, skipRules);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    out.stderr(`glm: ${err.message}\n`);
    return REVIEW_EXIT.usage;
  }
  const outcome = await reviewOutcome(diff, settings, opts, { root, cwd, ignoreText: skipRules.ignoreText, warn: out.stderr });
  const finish = (o: ReviewOutcome) => {
    if (settings.json) {
      out.stdout(JSON.stringify(reviewJson(o, settings.failOn, Date.now() - started)) + '\n');
      if (o.state === 'not_done' && !isBlocking(o, settings.failOn)) out.stderr(notDoneLine(o, Boolean(opts.strict)) + '\n');
    } else out.stderr(reviewText(o, settings.failOn, Boolean(opts.strict)));
    return reviewExitCode(o, settings.failOn, Boolean(opts.strict));
  };
  if (outcome === 'interrupted') {
    out.stderr('glm review: interrupted\n');
    return REVIEW_EXIT.interrupted;
  }
  return finish(outcome);
}

function baseOutcome(diff: CollectedDiff): ReviewOutcome {
  const reviewed = {
    files: diff.files.length,
    additions: diff.files.reduce((n, f) => n + f.additions, 0),
    deletions: diff.files.reduce((n, f) => n + f.deletions, 0),
  };
  return { state: 'done', verdict: 'pass', summary: '', findings: [], reviewed, skipped: diff.skipped, cached: false, usage: emptyUsage() };
}

const notDone = (diff: CollectedDiff, error: string, usage = emptyUsage()): ReviewOutcome => ({ ...baseOutcome(diff), state: 'not_done', error, usage });

function loadReviewConfig(opts: CommonOptions, cwd: string): Config {
  const config = loadConfig(
    { provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl, thinking: opts.thinking as 'on' | 'off' | undefined, maxTurns: opts.maxTurns },
    process.env,
    cwd,
  );
  // The review reads and reports; only the fix step may edit (through its own guarded tools).
  return { ...config, permissionMode: 'default', maxTurns: Math.min(config.maxTurns, 30) };
}

async function reviewOutcome(
  diff: CollectedDiff,
  settings: Settings,
  opts: ReviewOptions,
  where: { root: string; cwd: string; ignoreText: string; warn: (line: string) => void },
): Promise<ReviewOutcome | 'interrupted'> {
  const { root, cwd, ignoreText } = where;
  if (diff.files.length === 0) return { ...baseOutcome(diff), summary: diff.skipped.length ? 'Only skipped files changed.' : 'Nothing to review.' };
  let config: Config;
  try {
    config = loadReviewConfig(opts, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return notDone(diff, err.message);
    throw err;
  }
  // Never asks (it runs in hooks and CI): an untrusted project's loosening stays out, and stderr says so.
  // (The review runs in default mode whatever the settings say, and starts no MCP server, so a defaultMode or a
  // .mcp.json server is not worth a word.)
  for (const warning of config.warnings ?? []) where.warn(`glm review: ${warning}\n`);
  const held = config.untrustedProject;
  const entries = held?.entries.filter((e) => e.kind !== 'defaultMode' && e.kind !== 'mcpServer') ?? [];
  if (held && entries.length) where.warn(`glm review: ${untrustedNotice({ ...held, entries }, cwd)}\n`);
  const controller = new AbortController();
  let why: 'timeout' | 'interrupted' | undefined;
  const timer = setTimeout(() => {
    why = 'timeout';
    controller.abort();
  }, settings.timeoutMs);
  const onSignal = () => {
    why = 'interrupted';
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const ctx = { config, root, settings, opts, ignoreText, signal: controller.signal };
    const outcome = await reviewWithFix(diff, ctx);
    if (why === 'interrupted') return 'interrupted';
    if (why === 'timeout' && outcome.state === 'not_done') return { ...outcome, error: `timed out after ${settings.timeoutMs / 1000} s (--timeout)` };
    return outcome;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface ReviewContext {
  config: Config;
  root: string;
  settings: Settings;
  opts: ReviewOptions;
  ignoreText: string;
  signal: AbortSignal;
}

async function reviewWithFix(diff: CollectedDiff, ctx: ReviewContext): Promise<ReviewOutcome> {
  const first = await reviewOnce(diff, ctx);
  if (!ctx.opts.fix || first.state !== 'done' || ctx.signal.aborted) return first;
  const blocking = blockingFindings(first.findings, ctx.settings.failOn);
  if (blocking.length === 0) return first;
  // The model client, session and tools load only when a review really runs (not for a cached verdict).
  const [{ fixFindings }, { createModelClientFromConfig }] = await Promise.all([import('./fix.ts'), import('../model/client.ts')]);
  const fix = await fixFindings({
    config: ctx.config,
    client: createModelClientFromConfig(ctx.config, { retryUnreachable: false }),
    root: ctx.root,
    staged: diff.files.map((f) => f.path),
    findings: blocking,
    signal: ctx.signal,
  });
  const fixReport = { fixed: fix.fixed, untouched: fix.untouched };
  if (fix.fixed.length === 0) return { ...first, usage: sumUsage(first.usage, fix.usage), fix: fixReport };
  const again = await collectDiff({ kind: 'staged' }, ctx.root, ctx.root, loadSkipRules(ctx.root));
  const second = await reviewOnce(again, ctx);
  if (second.state !== 'done') return { ...first, usage: sumUsage(first.usage, fix.usage, second.usage), fix: fixReport, error: second.error };
  return { ...second, usage: sumUsage(first.usage, fix.usage, second.usage), fix: fixReport };
}

/** One review of one diff: from the cache, or by the model (and then cached). */
async function reviewOnce(diff: CollectedDiff, ctx: ReviewContext): Promise<ReviewOutcome> {
  const base = baseOutcome(diff);
  if (diff.files.length === 0) return { ...base, summary: 'Nothing left to review.' };
  const rules = await loadReviewRules(ctx.root, [ctx.ignoreText]);
  const { config } = ctx;
  const key = cacheKey([diff.fingerprint, config.provider, config.baseURL, config.model, String(config.thinking), rules.hash]);
  const hit = ctx.opts.cache ? readCachedReview(config.dataDir, key) : undefined;
  if (hit) return { ...base, ...hit, cached: true };

  const chunks = planChunks(diff.files, diffBudget(config.modelInfo.contextWindow));
  const [{ reviewChunks }, { createModelClientFromConfig }] = await Promise.all([import('./runner.ts'), import('../model/client.ts')]);
  const run = { config, client: createModelClientFromConfig(config, { retryUnreachable: false }), system: rules.system, what: WHAT[ctx.settings.source.kind], signal: ctx.signal };
  const { results, usage } = await reviewChunks(chunks, diff, run);
  const reports = results.flatMap((r) => (r.ok ? [r.report] : []));
  const failures = results.flatMap((r) => (r.ok ? [] : [r.reason]));
  const merged: ReviewOutcome = {
    ...base,
    verdict: reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    summary: reports.map((r) => r.summary).filter(Boolean).join(' '),
    findings: reports.flatMap((r) => r.findings),
    usage,
  };
  // Findings from the parts that were reviewed still count; a partial review is never cached.
  if (failures.length > 0) return { ...merged, verdict: merged.findings.length ? merged.verdict : 'pass', state: 'not_done', error: failures[0] };
  writeCachedReview(config.dataDir, key, { verdict: merged.verdict, summary: merged.summary, findings: merged.findings, reviewed: merged.reviewed, skipped: merged.skipped });
  return merged;
}

const sumUsage = (...parts: Usage[]): Usage => parts.reduce(addUsage, emptyUsage());
