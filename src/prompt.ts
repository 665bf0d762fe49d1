// Renders the system prompt: prompts/system.md + guidance for the enabled tools + memory files + the
// environment block, placed last so the stable prefix caches. Imports no front end and no model code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import systemTemplate from '../prompts/system.md';
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

/** Memory files, first match wins, as issue #2 asks: AGENTS.md, else GLM.md, else CLAUDE.md. */
export const MEMORY_FILES = ['AGENTS.md', 'GLM.md', 'CLAUDE.md'];

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
}

/** `extra` holds mode instructions (plan mode, a review's brief); it goes before memory and environment. */
export function renderSystemPrompt(opts: { tools: string[]; memory: Memory[]; env: Environment; extra?: string }): string {
  const guidance = Object.entries(TOOL_GUIDANCE)
    .filter(([name]) => opts.tools.includes(name))
    .map(([, line]) => `- ${line}`)
    .join('\n');
  const memory = opts.memory
    .map((m) => `\n# Project instructions (${m.path})\n${m.content.trim()}\n`)
    .join('');
  const environment = [
    `- Working directory: ${opts.env.cwd}`,
    `- Platform: ${opts.env.platform}`,
    `- Date: ${opts.env.date}`,
    `- Git: ${opts.env.git ?? 'not a git repository'}`,
  ].join('\n');
  const mode = opts.extra ? `\n${opts.extra.trim()}\n` : '';
  return renderTemplate(systemTemplate, { tool_guidance: guidance, mode, memory, environment }).trimEnd() + '\n';
}

/** The first memory file found at the project root (AGENTS.md, else GLM.md, else CLAUDE.md). */
export async function loadMemory(projectRoot: string): Promise<Memory[]> {
  for (const name of MEMORY_FILES) {
    const file = path.join(projectRoot, name);
    const content = await readFile(file, 'utf8').catch(() => undefined);
    if (content !== undefined) return [{ path: name, content }];
  }
  return [];
}

/** cwd, platform, date and git branch/status. Git runs through simple-git; outside a repo it is left out. */
export async function readEnvironment(cwd: string, now = new Date()): Promise<Environment> {
  const env: Environment = { cwd, platform: `${process.platform} ${process.arch}`, date: now.toISOString().slice(0, 10) };
  try {
    const { simpleGit } = await import('simple-git');
    const status = await simpleGit({ baseDir: cwd }).status();
    const changed = status.files.length;
    env.git = `branch ${status.current ?? '(detached)'}, ${changed === 0 ? 'clean' : `${changed} changed file${changed === 1 ? '' : 's'}`}`;
  } catch {
    // not a git repository, or git missing: the model simply is not told about git
  }
  return env;
}
