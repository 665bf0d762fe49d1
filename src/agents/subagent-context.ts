// A subagent's context keeping: the session's ContextKeeper over the subagent's own history (old tool outputs
// stubbed, then compacted by its own model), so a long subagent run stays inside its model's window. Nothing is
// recorded: a subagent's history is never resumed. Imports the keeper and types; no session, no front end.
import path from 'node:path';
import { ContextKeeper } from '../context/keeper.ts';
import type { ContextSettings } from '../context/settings.ts';
import type { ToolState } from '../tool.ts';
import type { AgentEvent, Message, ModelClient, ToolSchema } from '../types.ts';

export interface SubagentContext {
  settings: ContextSettings;
  history: Message[];
  schemas: () => ToolSchema[];
  client: ModelClient;
  system: string;
  /** The Task prompt: the one user message a summary must carry over verbatim. */
  prompt: string;
  state: ToolState;
  cwd: string;
  spillDir: string;
  emit: (event: AgentEvent) => void;
}

export function subagentKeeper(c: SubagentContext): ContextKeeper {
  return new ContextKeeper({
    ...c.settings,
    history: c.history,
    tools: c.schemas,
    spillDir: c.spillDir,
    client: () => c.client,
    system: () => c.system,
    refreshSystem: async () => {},
    prompts: () => [c.prompt],
    todos: () => c.state.todos,
    files: () => [...c.state.readFiles.keys()].map((f) => path.relative(c.cwd, f) || f),
    emit: c.emit,
    record: () => {},
  });
}
