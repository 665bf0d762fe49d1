// Bash: run a shell command in cwd (whole process tree killed on timeout or abort), or start it in the
// background for BashOutput / KillShell. Imports no loop, session or UI.
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../src/tool.ts';
import { BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_TIMEOUT_MS } from '../src/limits.ts';
import { renderTemplate } from '../src/template.ts';
import { plainOutput, runForeground, startBackground, type RunResult } from './bash-shells.ts';
import template from './bash.md';

const schema = z.object({
  command: z.string().describe('The command to run'),
  timeout: z.number().optional().describe(`Timeout in milliseconds (max ${BASH_MAX_TIMEOUT_MS})`),
  description: z.string().optional().describe('What the command does, in 5-10 words'),
  run_in_background: z.boolean().optional().describe('Start it in the background and return at once'),
  dangerouslyDisableSandbox: z
    .boolean()
    .optional()
    .describe('Run outside the sandbox. Only after the sandbox blocked this command; the user is always asked'),
});

/** Milliseconds from the model's value: clamped to the maximum; values under 1000 are taken as seconds. */
export function timeoutMs(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return BASH_DEFAULT_TIMEOUT_MS;
  const ms = value < 1000 ? value * 1000 : value;
  return Math.min(Math.round(ms), BASH_MAX_TIMEOUT_MS);
}

const human = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

/** `out`: the output as plain text (plainOutput), without trailing newlines. */
function describe(r: RunResult, out: string, ms: number): { text: string; isError: boolean } {
  const tail: string[] = [];
  if (r.spawnError) tail.push(`The command could not be started: ${r.spawnError}`);
  else if (r.timedOut) tail.push(`Command timed out after ${human(ms)} and was stopped. Pass a larger timeout (max ${BASH_MAX_TIMEOUT_MS} ms) or use run_in_background.`);
  else if (r.interrupted) tail.push('Interrupted by the user.');
  else if (r.exitCode !== undefined && r.exitCode !== 0) tail.push(`Exit code ${r.exitCode}`);
  else if (r.exitCode === undefined && r.signal) tail.push(`Killed by signal ${r.signal}`);
  const text = [out || (tail.length ? '' : '(no output)'), ...tail].filter(Boolean).join('\n\n');
  return { text, isError: tail.length > 0 };
}

const firstLine = (s: string) => {
  const line = s.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line + (s.trim().includes('\n') ? ' …' : '');
};

/** The tool line's result: the title already shows the command, so say what it did: `exit 0 · 12 lines`. */
function resultLine(r: RunResult, out: string, description?: string): string {
  const status = r.spawnError ? 'could not start' : r.timedOut ? 'timed out' : r.interrupted ? 'interrupted' : `exit ${r.exitCode ?? r.signal ?? '?'}`;
  const lines = out ? out.split('\n').length : 0;
  const amount = r.spawnError ? undefined : lines ? `${lines} line${lines === 1 ? '' : 's'}` : 'no output';
  return [description?.trim() && firstLine(description), status, amount].filter(Boolean).join(' · ');
}

export const bashTool = defineTool({
  name: 'Bash',
  kind: 'execute',
  keep: 'tail',
  description: renderTemplate(template, { default_timeout: BASH_DEFAULT_TIMEOUT_MS, max_timeout: BASH_MAX_TIMEOUT_MS }),
  schema,
  title: (a) => `Bash ${firstLine(a.command)}`,
  target: (a) => a.command,
  async execute(args, ctx) {
    if (!args.command.trim()) return { output: 'command is empty. Give the shell command to run.', isError: true };
    const cwdOk = await stat(ctx.cwd).then((s) => s.isDirectory(), () => false);
    if (!cwdOk) return { output: `The working directory ${ctx.cwd} does not exist any more, so no command can run there.`, isError: true };
    // Outside the sandbox only when the call asks to (the permission gate has asked the user).
    const sandbox = args.dangerouslyDisableSandbox ? undefined : ctx.sandbox;
    const launch = sandbox ? await sandbox.prepare() : undefined;
    if (launch && 'refused' in launch) return { output: `${launch.refused} The command did not run.`, isError: true };
    const wrap = launch?.wrap;
    if (args.run_in_background) {
      const shell = await startBackground(args.command, ctx.cwd, ctx.state, ctx.env, wrap, () => wrap && sandbox?.ended?.());
      const output = `Started in the background as ${shell.id} (output also goes to ${shell.logPath}). Check it with BashOutput {"bash_id":"${shell.id}"}; stop it with KillShell.`;
      return { output, display: { summary: `Started ${shell.id} in the background` } };
    }
    const ms = timeoutMs(args.timeout);
    const r = await runForeground(args.command, { cwd: ctx.cwd, timeoutMs: ms, signal: ctx.signal, onOutput: ctx.onOutput, env: ctx.env, wrap }).finally(() => wrap && sandbox?.ended?.());
    const out = plainOutput(r.output).replace(/\n+$/, '');
    const { text, isError } = describe(r, out, ms);
    const hint = isError && !r.timedOut && !r.interrupted ? sandbox?.explain(out) : undefined;
    return { output: hint ? `${text}\n\n${hint}` : text, isError, display: { summary: resultLine(r, out, args.description) } };
  },
});
