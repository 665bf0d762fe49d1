// What Task and Skill get of the session that offers them (SessionHost, src/agents/host.ts): a client per model,
// the context settings of an agent's model, the session's gates and hooks, the running prompt's tool context and
// its prompt parts. Imports no front end.
import type { SessionHost } from './agents/host.ts';
import { modelInfoFor } from './config.ts';
import { contextSettings, type ContextSettings } from './context/settings.ts';
import type { SessionHooks } from './hooks/session-hooks.ts';
import { promptMemory } from './prompt.ts';
import type { SessionGates } from './session-gates.ts';
import type { SessionSetup } from './session-open.ts';
import type { SessionOptions } from './session-options.ts';
import type { AgentEvent } from './types.ts';

/** The session's parts, read when a subagent asks (the host is made before the session has them all). */
export interface HostParts {
  /** The session's options (its client changes with /model). */
  options: SessionOptions;
  /** The session's own context window. */
  window: () => number;
  emit: (event: AgentEvent) => void;
  gates: () => SessionGates;
  hooks: () => SessionHooks | undefined;
  toolContext: SessionHost['toolContext'];
  spillDir: () => string;
  setup: () => SessionSetup;
}

export function sessionHost(p: HostParts): SessionHost {
  const o = p.options;
  return {
    config: o.config,
    tools: o.tools,
    client: (model) => (model && o.clientFor ? o.clientFor(model) : o.client),
    contextFor: (model) => subagentContext(p, model),
    emit: p.emit,
    gate: (g) => p.gates().subagent(g),
    loopHooks: (info) => p.hooks()?.loopHooks(info),
    toolContext: p.toolContext,
    get spillDir() {
      return p.spillDir();
    },
    get memory() {
      return promptMemory(p.setup().memory);
    },
    environment: () => p.setup().env,
    onSubagentStop: o.onSubagentStop,
    allowForPrompt: (rules) => p.gates().allowForPrompt(rules),
  };
}

/** A subagent's context settings: its model's window (the session's own when it inherits), the session's threshold. */
function subagentContext(p: HostParts, model: string | undefined): ContextSettings {
  const { config } = p.options;
  const settings = { ...contextSettings(config), ...p.options.context };
  if (!model || !p.options.clientFor) return { ...settings, window: p.window() };
  return { ...settings, window: p.options.context?.window ?? modelInfoFor(model, config.contextWindowSetting).contextWindow };
}
