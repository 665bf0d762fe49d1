// Subagent types: the built-in general-purpose and Explore, and custom agents read from Markdown files with YAML
// front matter (name, description, tools, disallowedTools, model, permissionMode, maxTurns; the body is the
// system prompt). Pure parsing; discovery is in discover.ts. Imports frontmatter.ts and types only.
import generalPrompt from '../../prompts/agent-general.md';
import explorePrompt from '../../prompts/agent-explore.md';
import { nameList, splitFrontMatter } from './frontmatter.ts';
import type { PermissionMode } from '../types.ts';

export type AgentSource = 'built-in' | 'project' | 'user';

export interface AgentDefinition {
  name: string;
  description: string;
  /** Tool names it may use (MCP names allowed); undefined: every tool of the parent except Task. */
  tools?: string[];
  disallowedTools?: string[];
  /** `inherit`, a model id or an alias (models.ts); undefined: inherit. */
  model?: string;
  /** Only these modes; undefined: the parent's. */
  permissionMode?: Exclude<PermissionMode, 'bypassPermissions'> | 'dontAsk';
  maxTurns?: number;
  /** The system prompt. */
  prompt: string;
  source: AgentSource;
  file?: string;
}

/** The names the Task tool answers to: GLM models are trained on Claude Code's `Task`, newer ones on `Agent`. */
export const TASK_NAMES = ['Task', 'Agent'] as const;
export const EXPLORE_TOOLS = ['Read', 'Grep', 'Glob', 'LS', 'Bash'];

export const BUILTIN_AGENTS: readonly AgentDefinition[] = [
  {
    name: 'general-purpose',
    description: 'General-purpose agent for researching complex questions, searching for code and running multi-step tasks with the same tools you have. Use it when a search may take several rounds, or to keep a long investigation out of your own context.',
    prompt: generalPrompt,
    source: 'built-in',
  },
  {
    name: 'Explore',
    description: 'Fast read-only agent for exploring a codebase: finding files by pattern, searching code for keywords, answering questions about how the code works. It cannot edit files; its Bash runs only commands the permission rules allow. Say how thorough it should be: "quick", "medium" or "very thorough".',
    tools: EXPLORE_TOOLS,
    permissionMode: 'dontAsk',
    prompt: explorePrompt,
    source: 'built-in',
  },
];

const NAME = /^[A-Za-z0-9][\w.-]{0,63}$/;
const MODES = ['default', 'acceptEdits', 'plan', 'dontAsk'];

/** A custom agent file, or the one-line reason it is skipped. */
export function parseAgentFile(text: string, source: AgentSource, file: string): AgentDefinition | { error: string } {
  let front;
  try {
    front = splitFrontMatter(text);
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (!front) return { error: 'it has no front matter (--- name: … description: … ---)' };
  const f = front.fields;
  const name = typeof f.name === 'string' ? f.name.trim() : '';
  if (!NAME.test(name)) return { error: name ? `its name "${name.slice(0, 64)}" is not letters, digits, "-", "_" or "."` : 'it has no "name"' };
  const description = typeof f.description === 'string' ? f.description.trim() : '';
  if (!description) return { error: 'it has no "description"' };
  if (!front.body) return { error: 'its body (the system prompt) is empty' };
  const mode = f.permissionMode === undefined ? undefined : String(f.permissionMode);
  if (mode !== undefined && !MODES.includes(mode)) return { error: `permissionMode "${mode.slice(0, 40)}" is not one of ${MODES.join(', ')}` };
  const maxTurns = f.maxTurns === undefined ? undefined : Number(f.maxTurns);
  if (maxTurns !== undefined && !(Number.isInteger(maxTurns) && maxTurns > 0)) return { error: 'maxTurns is not a whole number above 0' };
  return {
    name,
    description,
    tools: nameList(f.tools),
    disallowedTools: nameList(f.disallowedTools),
    model: f.model === undefined || f.model === null ? undefined : String(f.model).trim(),
    permissionMode: mode as AgentDefinition['permissionMode'],
    maxTurns,
    prompt: front.body,
    source,
    file,
  };
}
