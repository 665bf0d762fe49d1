// Renders the system prompt: prompts/system.md + guidance for the enabled tools + memory files + the
// environment block, placed last so the stable prefix caches. Imports no front end and no model code.
import { spawn } from 'node:child_process';
import { gitArgv, gitEnv, repoFilterOverrides } from './git-args.ts';
import systemTemplate from '../prompts/system.md';
import { loadMemoryFiles, type MemoryFile } from './memory.ts';
import { renderTemplate } from './template.ts';

/** One line of guidance per tool, included only when that tool is enabled. */
const TOOL_GUIDANCE: Record<string, string> = {
  Read: 'Read files with Read, not cat/head/tail in Bash.',
  Edit: 'Change existing files with Edit (or MultiEdit for several changes to one file); Read them first.',
  Write: 'Use Write only for new files or complete rewrites.',
  Bash: 'Use Bash for tests, builds, git and other commands, not to read, search or edit files.',
  Grep: 'Search file contents with Grep and find files by name with Glob; not grep, rg or find in Bash.',
  TodoWrite: 'Plan multi-step work with TodoWrite; keep exactly one item in_progress.',
};

export interface Environment {
  cwd: string;
  platform: string;
  date: string;
  /** e.g. "main, 2 changed files", or undefined outside a git repository. */
  git?: string;
}

export interface Memory {
  path: string;
  content: string;
  /** Default 'project'. */
  kind?: 'user' | 'project' | 'import';
  /** For imports: the memory file that mentioned this one with @path. */
  includedBy?: string;
}

const memoryHeading = (m: Memory): string =>
  m.kind === 'user'
    ? `The user's personal instructions (${m.path})`
    : m.kind === 'import'
      ? `${m.path} (included by ${m.includedBy ?? 'a memory file'})`
      : `Project instructions (${m.path})`;

/**
 * `extra` holds mode instructions (plan mode, a review's brief); it goes before memory and environment. A subagent
 * renders its own `template` (prompts/subagent.md) with the same placeholders, its instructions as `extra`.
 */
export function renderSystemPrompt(opts: { tools: string[]; memory: Memory[]; env: Environment; extra?: string; base?: string; template?: string }): string {
  const guidance = Object.entries(TOOL_GUIDANCE)
    .filter(([name]) => opts.tools.includes(name))
    .map(([, line]) => `- ${line}`)
    .join('\n');
  const memory = opts.memory
    .map((m) => `\n# ${memoryHeading(m)}\n${m.content.trim()}\n`)
    .join('');
  const environment = [
    `- Working directory: ${opts.env.cwd}`,
    `- Platform: ${opts.env.platform}`,
    `- Date: ${opts.env.date}`,
    `- Git: ${opts.env.git ?? 'not a git repository'}`,
  ].join('\n');
  const mode = opts.extra ? `\n${opts.extra.trim()}\n` : '';
  // A caller's own base prompt (--system-prompt) replaces glm's instructions; memory and environment stay.
  if (opts.base !== undefined) return `${opts.base.trim()}\n${mode}${memory}\n# Environment\n${environment}\n`;
  return renderTemplate(opts.template ?? systemTemplate, { tool_guidance: guidance, mode, memory, environment }).trimEnd() + '\n';
}

/** Memory files as the system prompt names them. */
export function promptMemory(files: readonly MemoryFile[]): Memory[] {
  return files.map((f) => ({
    path: f.path,
    content: f.content,
    ...(f.kind !== 'project' && { kind: f.kind }),
    ...(f.includedBy !== undefined && { includedBy: f.includedBy }),
  }));
}

/** The memory files of a folder that is its own project root (see memory.ts for the full search). */
export async function loadMemory(projectRoot: string): Promise<Memory[]> {
  return promptMemory(await loadMemoryFiles({ cwd: projectRoot, projectRoot }));
}

/**
 * cwd, platform, date and git branch/status. `git status` starts at once (callers start this early so git runs
 * while modules load); outside a repository, or without git, git is left out.
 */
export async function readEnvironment(cwd: string, now = new Date()): Promise<Environment> {
  const env: Environment = { cwd, platform: `${process.platform} ${process.arch}`, date: now.toISOString().slice(0, 10) };
  const filters = repoFilterOverrides(cwd);
  if (!filters) {
    env.git = 'status not read (the repository config includes files glm cannot follow)';
    return env;
  }
  const status = await gitStatus(cwd, filters);
  if (status !== undefined) env.git = describeGitStatus(status);
  return env;
}

/** `git status --porcelain -b -u --null` output, or undefined when git fails or is missing. Submodules' own
 * work trees are not looked into (their status would run with their config). */
function gitStatus(cwd: string, filters: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const args = ['status', '--porcelain', '-b', '-u', '--ignore-submodules=dirty', '--null'];
    const child = spawn('git', gitArgv(args, { filters }), { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks).toString('utf8') : undefined));
  });
}

/** e.g. "branch main, 2 changed files" from `git status --porcelain -b -u --null` output. */
function describeGitStatus(output: string): string {
  const entries = output.split('\0');
  let branch: string | undefined;
  let changed = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!entry) continue;
    if (entry.startsWith('## ')) {
      branch = branchName(entry.slice(3));
      continue;
    }
    if (entry.startsWith('!!')) continue;
    changed++;
    // A rename or copy is followed by its original path as an entry of its own.
    if (/^(?:[RC].|.[RC]) /.test(entry)) i++;
  }
  return `branch ${branch ?? '(detached)'}, ${changed === 0 ? 'clean' : `${changed} changed file${changed === 1 ? '' : 's'}`}`;
}

/** "main...origin/main [ahead 1]" → main; "No commits yet on main" → main; "HEAD (no branch)" → HEAD. */
function branchName(line: string): string | undefined {
  return /\son\s(\S+?)(?=\.{3}|$)/.exec(line)?.[1] ?? /^(.+?)(?=\.{3}|\s|$)/.exec(line)?.[1];
}
