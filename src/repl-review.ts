// The REPL's /review: the uncommitted changes (staged and unstaged) reviewed by the engine of `glm review` (its
// own sessions with the read-only tools and ReportReview, the team rules of .glm/review.md), whatever the REPL's
// permission mode; the findings are shown as a list. `/review --fix` then asks the model to fix them in the REPL's
// session in default mode, so each change is put to the user. Loaded by repl-host.ts; imports no Ink.
import path from 'node:path';
import type { CommandContext, SlashCommand } from './ui/commands.ts';
import type { Config } from './types.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The review of the uncommitted changes; the lines to show, and the findings for --fix. */
async function reviewUncommitted(config: Config, ctx: CommandContext): Promise<{ text: string; fixable: string[] } | undefined> {
  const [{ collectDiff }, { loadSkipRules }, { gitRoot }, { diffBudget, planChunks }, { loadReviewRules }, { reviewChunks }, { createModelClientFromConfig }] = await Promise.all([
    import('./review/diff.ts'),
    import('./review/skip.ts'),
    import('./review/git.ts'),
    import('./review/chunks.ts'),
    import('./review/rules.ts'),
    import('./review/runner.ts'),
    import('./model/client.ts'),
  ]);
  const root = await gitRoot(config.cwd);
  if (!root) return void ctx.notice('Not inside a git repository: /review reviews git changes.', 'warn');
  const skip = loadSkipRules(root);
  const diff = await collectDiff({ kind: 'tracked' }, config.cwd, root, skip);
  if (!diff.files.length) return void ctx.notice(diff.skipped.length ? 'Only skipped files changed: nothing to review.' : 'No uncommitted changes to review.', 'dim');
  const added = diff.files.reduce((n, f) => n + f.additions, 0);
  const removed = diff.files.reduce((n, f) => n + f.deletions, 0);
  ctx.notice(`Reviewing ${diff.files.length} file${diff.files.length === 1 ? '' : 's'} (+${added} -${removed}), read-only…`, 'dim');
  // The review's own sessions: read-only tools and ReportReview only, in default mode whatever the REPL's mode.
  const review: Config = { ...config, permissionMode: 'default', maxTurns: Math.min(config.maxTurns, 30) };
  const rules = await loadReviewRules(root, [skip.ignoreText]);
  const chunks = planChunks(diff.files, diffBudget(review.modelInfo.contextWindow));
  const signal = new AbortController().signal;
  const { results } = await reviewChunks(chunks, diff, { config: review, client: createModelClientFromConfig(review), system: rules.system, what: 'uncommitted changes', signal });
  const reports = results.flatMap((r) => (r.ok ? [r.report] : []));
  const failures = results.flatMap((r) => (r.ok ? [] : [r.reason]));
  const findings = reports.flatMap((r) => r.findings).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const where = (f: { file: string; line: number }) => (f.line > 0 ? `${f.file}:${f.line}` : f.file);
  const lines = findings.map((f) => `  ${f.severity.padEnd(7)} ${where(f)}  ${f.message.replace(/\s*\n\s*/g, ' ')}`);
  const verdict = reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass';
  const head = failures.length && !reports.length ? `Review not done: ${failures[0]}` : `Review: ${verdict} · ${findings.length} finding${findings.length === 1 ? '' : 's'}`;
  const summary = reports.map((r) => r.summary).filter(Boolean).join(' ');
  const skipped = diff.skipped.length ? [`Not reviewed: ${diff.skipped.map((s) => `${s.file} (${s.reason})`).join(', ')}`] : [];
  const text = [head, ...(summary ? [summary] : []), ...lines, ...skipped, ...(failures.length && reports.length ? [`Part of the review was not done: ${failures[0]}`] : [])].join('\n');
  return { text, fixable: findings.filter((f) => f.severity !== 'info').map((f) => `- ${where(f)} (${f.severity}): ${f.message}`) };
}

export function reviewCommand(config: () => Config): SlashCommand {
  return {
    name: 'review',
    args: '[--fix]',
    description: 'review the uncommitted changes (read-only); --fix then fixes them, asking before each change',
    async run(ctx, args) {
      const fix = args.trim() === '--fix';
      if (args.trim() && !fix) return ctx.notice('Use /review or /review --fix.', 'warn');
      const result = await reviewUncommitted(config(), ctx);
      if (!result) return;
      ctx.notice(result.text, /Review: fail|not done/.test(result.text) ? 'warn' : 'info');
      if (!fix || !result.fixable.length) return;
      const prompt = `Fix these review findings in the uncommitted changes of ${path.basename(config().projectRoot)}, one at a time, with the smallest change each; skip any you judge wrong and say why:\n${result.fixable.join('\n')}`;
      await ctx.runPrompt(prompt, '/review --fix', { mode: 'default' });
    },
  };
}
