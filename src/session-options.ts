// What a caller gives a Session (src/session.ts): its config and model client, its tools and their extensions,
// whom to ask for approvals, which session to go on from, and what to leave out. Types only.
import type { SessionHost, SubagentStopHook } from './agents/host.ts';
import type { ContextSettings } from './context/settings.ts';
import type { HookCallback } from './hooks/runner.ts';
import type { Environment } from './prompt.ts';
import type { ToolSet } from './tool.ts';
import type { Approver, Config, ModelClient } from './types.ts';

export interface SessionOptions {
  config: Config;
  client: ModelClient;
  /** Names and schemas up front; definitions load when the model starts answering (see ToolSet). */
  tools: ToolSet;
  /** Answers "ask" decisions; undefined means headless: every ask is denied. */
  approver?: Approver;
  /** Resume this session id, or the project's latest with 'latest'. */
  resume?: string | 'latest';
  /** Extra system prompt text (e.g. a review's instructions), placed before the environment block. */
  systemOverride?: string;
  /** false: write no transcript (review and commit-message runs are not sessions to resume). Default true. */
  transcript?: boolean;
  /** Overrides the window, compaction threshold or auto-compaction from the settings files. */
  context?: Partial<ContextSettings>;
  /** The environment block, when the caller started reading it early (git runs while modules load). */
  environment?: Promise<Environment>;
  /** What SessionStart hooks are told of a new session: `clear` after /clear (a resumed one is always `resume`). */
  startSource?: 'startup' | 'clear';
  /** A new session's id (`--session-id`), or a fork's; default a fresh UUID. Must not name an existing session. */
  id?: string;
  /** With `resume`: go on from that session's history under a new id (`--fork-session`); the original stays as it was. */
  fork?: boolean;
  /** Replaces glm's base instructions (`--system-prompt`); memory files and the environment block are still added. */
  baseSystemPrompt?: string;
  /** Tool sources that need the session itself (Task and Skill: src/agents/tool-source.ts), after `tools`. */
  extensions?: (host: SessionHost) => ToolSet;
  /** A client for another model (a subagent's); without it subagents use `client`. */
  clientFor?: (model: string) => ModelClient;
  /** Called as each subagent ends, after its SubagentStop hooks (src/agents/host.ts SubagentStopHook). */
  onSubagentStop?: SubagentStopHook;
  /** How callback hooks of `config.hooks` (a program's, HookEntry.callbackId) are asked. */
  hookCallback?: HookCallback;
}
