// What the agent tools (Task, Skill) need from the session that offers them: its client per model, its rules and
// approver through a gate, the running prompt's tool context, its event stream and prompt parts. Types only: the
// session implements it (src/session.ts), so nothing here imports the session.
import type { LoopHooks } from '../agent.ts';
import type { ContextSettings } from '../context/settings.ts';
import type { GateCall, GateResult } from '../gate.ts';
import type { Environment, Memory } from '../prompt.ts';
import type { ToolContext, ToolSet } from '../tool.ts';
import type { AgentEvent, Config, ModelClient, PermissionMode } from '../types.ts';

export type Gate = (call: GateCall, signal: AbortSignal) => Promise<GateResult>;

export interface SessionHost {
  readonly config: Config;
  /** The session's other tools (built-ins, MCP): what a subagent's tools are chosen from. */
  readonly tools: ToolSet;
  /** A client for `model`, or the session's own (the parent's model) when undefined. */
  client(model?: string): ModelClient;
  /** How a subagent on `model` (undefined: the session's model) keeps its context: that model's window, the session's threshold. */
  contextFor(model?: string): ContextSettings;
  /** The session's event stream (a subagent's events arrive wrapped in `subagent` events). */
  emit(event: AgentEvent): void;
  /**
   * A gate over the session's rules (shared: "always allow" in a subagent holds for the parent too). `mode`
   * undefined: the session's; `ask: false` denies what would ask, with `askDenied` as the message.
   */
  gate(o: { agent: string; mode?: PermissionMode; ask: boolean; askDenied?: string; emit: (event: AgentEvent) => void }): Gate;
  /** The running prompt's tool context (undo snapshots, read denial, environment); undefined between prompts. */
  toolContext(): Omit<ToolContext, 'signal' | 'onOutput' | 'state'> | undefined;
  readonly spillDir: string;
  readonly memory: readonly Memory[];
  environment(): Environment;
  /** Allow rules that hold until the running prompt ends (a skill's allowed-tools). */
  allowForPrompt(rules: string[]): void;
  /**
   * The session's lifecycle hooks for a subagent's loop (PostToolUse, and SubagentStop as it ends); undefined
   * without hooks (src/hooks/session-hooks.ts loopHooks).
   */
  loopHooks(info: { agentId: string; agentType?: string }): LoopHooks | undefined;
  /** Called when a subagent has finished, before its answer goes back: see SubagentStopHook. */
  onSubagentStop?: SubagentStopHook;
}

/**
 * A caller's own seam, through the session option of the same name: runs after the subagent's loop ended (and its
 * SubagentStop hooks, which run through `loopHooks`), before its answer becomes the Task result.
 */
export type SubagentStopHook = (info: { agent: string; callId: string; reason: string; text: string }) => Promise<void> | void;
