// Runs one subagent: the same loop again with its own history (the Task prompt as its first user message),
// system prompt, tool set, model and gate, its events forwarded to the session wrapped in `subagent` events
// tagged with the Task call's id. Returns its final answer with a one-line footer. Imports the loop, no front end.
import subagentTemplate from '../../prompts/subagent.md';
import { runLoop } from '../agent.ts';
import { renderSystemPrompt } from '../prompt.ts';
import { composeToolSets } from '../tool-sets.ts';
import { createToolState, type ToolContext, type ToolResult } from '../tool.ts';
import { killAllShells } from '../../tools/bash-shells.ts';
import { TASK_NAMES, type AgentDefinition } from './builtin-agents.ts';
import { exploreModel, resolveAgentModel } from './models.ts';
import { subagentKeeper } from './subagent-context.ts';
import { agentToolSet, filterToolSet } from './tool-source.ts';
import type { Catalog } from './catalog.ts';
import type { SessionHost } from './host.ts';
import type { AgentEvent, Message } from '../types.ts';

/** Live pieces of a subagent's stream that only the live view of its own answer would need. */
const NOT_FORWARDED = new Set<AgentEvent['type']>(['text_delta', 'thinking_delta', 'tool_output']);

export interface SubagentRun {
  host: SessionHost;
  catalog: Catalog;
  def: AgentDefinition;
  /** 1 for a subagent of the session. */
  depth: number;
  prompt: string;
  description: string;
  ctx: ToolContext;
}

export async function runSubagent(r: SubagentRun): Promise<ToolResult> {
  const { host, def, ctx } = r;
  const callId = ctx.callId ?? '';
  const runContext = host.toolContext();
  const tools = subagentTools(r);
  let toolCalls = 0;
  const model = def.name === 'Explore' && def.source === 'built-in' ? exploreModel(host.config) : resolveAgentModel(def.model, host.config);
  const emit = (event: AgentEvent) => {
    if (event.type === 'tool_end') toolCalls++;
    if (!NOT_FORWARDED.has(event.type)) host.emit({ type: 'subagent', callId, agent: def.name, ...(model && { model }), event });
  };
  const dontAsk = def.permissionMode === 'dontAsk';
  const system = renderSystemPrompt({ tools: tools.names, memory: [...host.memory], env: host.environment(), extra: def.prompt, template: subagentTemplate }).trimStart();
  const state = createToolState();
  const client = host.client(model);
  const history: Message[] = [{ role: 'user', content: r.prompt }];
  const schemas = () => tools.schemas;
  // Its own history can outgrow the window as the session's can: the same keeper stubs and compacts it.
  const context = subagentKeeper({ settings: host.contextFor(model), history, schemas, client, system, prompt: r.prompt, state, cwd: host.config.cwd, spillDir: host.spillDir, emit });
  emit({ type: 'user_message', text: r.prompt });
  const done = await runLoop({
    client,
    tools: () => tools.load(),
    schemas,
    system,
    history,
    context,
    gate: host.gate({
      agent: def.name,
      mode: def.permissionMode === 'dontAsk' ? 'default' : def.permissionMode,
      ask: !dontAsk,
      askDenied: dontAsk ? `The ${def.name} agent cannot ask for permission: only calls the permission rules allow run. Do not retry; use Read, Grep, Glob and LS instead, or report what you could not check.` : undefined,
      emit,
    }),
    toolContext: { cwd: host.config.cwd, ...runContext, state },
    spillDir: host.spillDir,
    maxTurns: def.maxTurns ?? host.config.maxTurns,
    // SubagentStop (not Stop) hooks run as it ends; PostToolUse after each of its calls.
    hooks: host.loopHooks({ agentId: callId, agentType: def.name }),
    emit,
    signal: ctx.signal,
  }).finally(() => killAllShells(state));
  await host.onSubagentStop?.({ agent: def.name, callId, reason: done.reason, text: done.text });

  const tokens = done.usage.inputTokens + done.usage.outputTokens;
  const footer = `(${def.name} agent: ${done.turns} turn${done.turns === 1 ? '' : 's'}, ${toolCalls} tool call${toolCalls === 1 ? '' : 's'}, ${tokens} tokens)`;
  const display = { summary: `${toolCalls} tool call${toolCalls === 1 ? '' : 's'}, ${done.turns} turn${done.turns === 1 ? '' : 's'}, ${tokens} tokens` };
  if (done.reason === 'aborted') return { output: `Interrupted by the user: the ${def.name} agent was stopped before it finished.\n${footer}`, isError: true, display, usage: done.usage };
  if (done.reason !== 'completed') {
    const why = done.reason === 'max_turns' ? 'it reached its turn limit' : done.reason === 'loop' ? 'it kept repeating the same call' : 'it failed';
    return { output: `The ${def.name} agent stopped (${why}) without finishing.${done.text ? ` Its last words:\n${done.text}` : ''}\n${footer}`, isError: true, display, usage: done.usage };
  }
  return { output: `${done.text.trim() || '(The agent gave no answer.)'}\n\n${footer}`, display, usage: done.usage };
}

/** The parent's tools the definition allows, without Task unless it lists Task (and the depth limit allows it). */
function subagentTools(r: SubagentRun) {
  const { def } = r;
  const listed = def.tools && new Set(def.tools.map(canonical));
  const denied = new Set((def.disallowedTools ?? []).map(canonical));
  const keep = (name: string): boolean => {
    const c = canonical(name);
    if (denied.has(c) || [...denied].some((d) => d.startsWith('mcp__') && c.startsWith(`${d}__`))) return false;
    if (!listed) return c !== 'Task'; // every tool of the parent but Task
    return listed.has(c) || [...listed].some((l) => l.startsWith('mcp__') && c.startsWith(`${l}__`));
  };
  return filterToolSet(composeToolSets([r.host.tools, agentToolSet(r.host, r.catalog, r.depth)]), keep);
}

/** `Agent` is Task; a rule-like `Bash(git:*)` in a tools list names Bash. */
function canonical(name: string): string {
  const bare = name.replace(/\(.*\)$/, '').trim();
  return (TASK_NAMES as readonly string[]).includes(bare) ? 'Task' : bare;
}
