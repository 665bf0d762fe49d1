// The built-in subagent types, general-purpose and Explore, and the shape every agent definition has. Data only
// (no YAML parser): a run without custom agents loads nothing more. Imports the prompts and types.
import generalPrompt from '../../prompts/agent-general.md';
import explorePrompt from '../../prompts/agent-explore.md';
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
    description: 'Researches complex questions, searches code and runs multi-step tasks with your tools (but Task). Use it when a search may take several rounds, or to keep long output out of your context.',
    prompt: generalPrompt,
    source: 'built-in',
  },
  {
    name: 'Explore',
    description: 'Fast read-only codebase explorer: finds files, searches code, answers how the code works. Cannot edit; its Bash runs only what the rules allow. Say how thorough: "quick", "medium" or "very thorough".',
    tools: EXPLORE_TOOLS,
    permissionMode: 'dontAsk',
    prompt: explorePrompt,
    source: 'built-in',
  },
];
