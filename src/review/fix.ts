// `glm review --fix`: lets the model edit the staged files that have blocking findings (Edit and MultiEdit
// only, and only those files), then re-stages what changed. Files that also have unstaged changes are never
// touched. Imports the session, tools and git wrapper; never the CLI or UI.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Session } from '../session.ts';
import type { AnyToolDef } from '../tool.ts';
import { projectSessionsDir } from '../transcript.ts';
import { emptyUsage, type Config, type ModelClient, type Usage } from '../types.ts';
import { currentHash } from '../undo/store.ts';
import { editTool } from '../../tools/edit.ts';
import { globTool } from '../../tools/glob.ts';
import { grepTool } from '../../tools/grep.ts';
import { lsTool } from '../../tools/ls.ts';
import { multiEditTool } from '../../tools/multi-edit.ts';
import { readTool } from '../../tools/read.ts';
import { toolSet } from '../../tools/index.ts';
import fixPrompt from './fix-prompt.md';
import { gitOk } from './git.ts';
import type { Finding } from './report-review.ts';

export interface FixRun {
  config: Config;
  client: ModelClient;
  /** The repository root; finding paths are relative to it. */
  root: string;
  /** Paths in the reviewed staged diff. */
  staged: string[];
  findings: Finding[];
  signal: AbortSignal;
}

export interface FixOutcome {
  fixed: string[];
  untouched: { file: string; reason: string }[];
  usage: Usage;
  error?: string;
}

/** Edit/MultiEdit that refuse any file outside `allowed` (absolute paths). */
function guarded(tool: AnyToolDef, allowed: Set<string>, shown: string): AnyToolDef {
  return {
    ...tool,
    execute: (args: { file_path: string }, ctx) => {
      if (allowed.has(path.resolve(ctx.cwd, args.file_path))) return tool.execute(args, ctx);
      return Promise.resolve({ output: `You may only edit these files: ${shown}. Leave ${args.file_path} as it is.`, isError: true });
    },
  };
}

export async function fixFindings(run: FixRun): Promise<FixOutcome> {
  const unstaged = new Set((await gitOk(['-c', 'core.quotePath=false', 'diff', '--name-only', '--ignore-submodules=dirty', '-z'], run.root)).split('\0').filter(Boolean));
  const untouched: FixOutcome['untouched'] = [];
  const fixable: string[] = [];
  for (const file of new Set(run.findings.map((f) => f.file))) {
    if (!run.staged.includes(file)) untouched.push({ file, reason: 'not in the staged change' });
    else if (unstaged.has(file)) untouched.push({ file, reason: 'it also has unstaged changes' });
    else if (currentHash(path.join(run.root, file)) === null) untouched.push({ file, reason: 'it is deleted' });
    else fixable.push(file);
  }
  if (fixable.length === 0) return { fixed: [], untouched, usage: emptyUsage() };

  const abs = fixable.map((f) => path.join(run.root, f));
  const before = new Map(abs.map((a) => [a, currentHash(a)]));
  const shown = fixable.join(', ');
  const allowed = new Set(abs);
  const config: Config = { ...run.config, cwd: run.root, permissionMode: 'acceptEdits' };
  const session = await Session.open({
    config,
    client: run.client,
    tools: toolSet([readTool, grepTool, globTool, lsTool, guarded(editTool, allowed, shown), guarded(multiEditTool, allowed, shown)]),
    systemOverride: fixPrompt,
    transcript: false,
  });
  let lastError: string | undefined;
  session.subscribe((e) => {
    if (e.type === 'error') lastError = e.message;
  });
  const onAbort = () => session.abort();
  run.signal.addEventListener('abort', onAbort);
  const list = run.findings.filter((f) => fixable.includes(f.file)).map((f) => `- ${f.file}:${f.line} ${f.severity}: ${f.message}`);
  const done = await session.run(`Fix these review findings. You may edit only: ${shown}.\n\n${list.join('\n')}`);
  run.signal.removeEventListener('abort', onAbort);
  await session.close();
  await rm(path.join(projectSessionsDir(config.dataDir, config.projectRoot), session.id), { recursive: true, force: true });

  const changed = fixable.filter((_, i) => currentHash(abs[i]!) !== before.get(abs[i]!));
  if (changed.length > 0) await gitOk(['add', '--', ...changed], run.root);
  for (const file of fixable.filter((f) => !changed.includes(f))) untouched.push({ file, reason: 'the model left it unchanged' });
  const error = done.reason === 'completed' ? undefined : (lastError ?? `the fix stopped (${done.reason})`);
  return { fixed: changed, untouched, usage: { ...session.usage }, ...(error && { error }) };
}

