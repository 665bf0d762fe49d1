// glm's agent events as ACP `session/update` payloads: message and thought chunks, tool calls with their kind,
// locations and diff content, status updates, and plans from TodoWrite. Pure (plain objects in the ACP schema's
// shapes); src/acp/agent.ts sends them. Imports types only.
import path from 'node:path';
import type { AgentEvent, ToolCall } from '../types.ts';

export type ToolKind = 'read' | 'edit' | 'delete' | 'move' | 'search' | 'execute' | 'think' | 'fetch' | 'switch_mode' | 'other';

const KINDS: Record<string, ToolKind> = {
  Read: 'read',
  Edit: 'edit',
  MultiEdit: 'edit',
  Write: 'edit',
  NotebookEdit: 'edit',
  Bash: 'execute',
  BashOutput: 'execute',
  KillShell: 'execute',
  Grep: 'search',
  Glob: 'search',
  LS: 'search',
  WebFetch: 'fetch',
  WebSearch: 'fetch',
  TodoWrite: 'think',
  Task: 'think',
};

export const toolKind = (name: string): ToolKind => KINDS[name] ?? 'other';

type Input = Record<string, unknown>;
const asInput = (v: unknown): Input => (typeof v === 'object' && v !== null ? (v as Input) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The files a call acts on, as absolute paths, so an editor can follow along. */
export function locations(input: unknown, cwd: string): { path: string; line?: number }[] {
  const i = asInput(input);
  const file = str(i.file_path) ?? str(i.notebook_path) ?? str(i.path);
  if (!file) return [];
  const offset = typeof i.offset === 'number' ? { line: i.offset } : {};
  return [{ path: path.resolve(cwd, file), ...offset }];
}

/** An edit's change as ACP diff content: old and new text of the replaced part (Write: the whole new file). */
export function diffContent(name: string, input: unknown, cwd: string): { type: 'diff'; path: string; oldText: string | null; newText: string }[] {
  const i = asInput(input);
  const file = str(i.file_path);
  if (!file) return [];
  const abs = path.resolve(cwd, file);
  if (name === 'Write' && str(i.content) !== undefined) return [{ type: 'diff', path: abs, oldText: null, newText: str(i.content)! }];
  if (name === 'Edit' && str(i.new_string) !== undefined) return [{ type: 'diff', path: abs, oldText: str(i.old_string) ?? null, newText: str(i.new_string)! }];
  if (name === 'MultiEdit' && Array.isArray(i.edits)) {
    return i.edits.map((e) => asInput(e)).filter((e) => str(e.new_string) !== undefined).map((e) => ({ type: 'diff' as const, path: abs, oldText: str(e.old_string) ?? null, newText: str(e.new_string)! }));
  }
  return [];
}

const parse = (args: string): unknown => {
  try {
    return JSON.parse(args);
  } catch {
    return {};
  }
};

/** A call the model just made, announced before the permission check and the run. */
export function toolCallStarted(call: ToolCall, cwd: string) {
  const input = parse(call.arguments);
  return {
    sessionUpdate: 'tool_call' as const,
    toolCallId: call.id,
    title: call.name,
    kind: toolKind(call.name),
    status: 'pending' as const,
    rawInput: input,
    locations: locations(input, cwd),
    content: diffContent(call.name, input, cwd),
  };
}

/** TodoWrite's list as an ACP plan. */
export function planOf(input: unknown) {
  const todos = asInput(input).todos;
  if (!Array.isArray(todos)) return undefined;
  const entries = todos.map(asInput).map((t) => ({
    content: str(t.content) ?? '',
    priority: 'medium' as const,
    status: t.status === 'completed' || t.status === 'in_progress' ? t.status : ('pending' as const),
  }));
  return { sessionUpdate: 'plan' as const, entries };
}

/** The session/update payloads one agent event gives (none for most). `cwd` resolves relative paths. */
export function updatesFor(event: AgentEvent, cwd: string): unknown[] {
  switch (event.type) {
    case 'user_message':
      return event.synthetic ? [] : [{ sessionUpdate: 'user_message_chunk', content: { type: 'text', text: event.text } }];
    case 'text_delta':
      return [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: event.text } }];
    case 'thinking_delta':
      return [{ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: event.text } }];
    case 'assistant_message':
      return (event.message.toolCalls ?? []).map((c) => toolCallStarted(c, cwd));
    case 'tool_start': {
      const update = { sessionUpdate: 'tool_call_update', toolCallId: event.callId, status: 'in_progress', title: event.title, rawInput: event.input };
      const plan = event.name === 'TodoWrite' ? planOf(event.input) : undefined;
      return plan ? [update, plan] : [update];
    }
    case 'tool_end':
      return [
        {
          sessionUpdate: 'tool_call_update',
          toolCallId: event.callId,
          status: event.isError ? 'failed' : 'completed',
          ...(event.title !== undefined && { title: event.title }),
          rawOutput: event.output,
          // An edit keeps the diff it was announced with; other calls show their output.
          ...(toolKind(event.name) !== 'edit' || event.isError ? { content: [{ type: 'content', content: { type: 'text', text: event.output } }] } : {}),
        },
      ];
    case 'error':
      return [{ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: `\n\nglm: ${event.message}\n` } }];
    case 'subagent':
      return subagentUpdates(event, cwd);
    default:
      return [];
  }
}

/**
 * A subagent's tool calls as tool calls of their own, titled with the agent's name and tied to the Task call in
 * `_meta` (editors show them under it or in line). Its messages stay inside the Task result; its TodoWrite lists
 * are not the session's plan.
 */
function subagentUpdates(e: Extract<AgentEvent, { type: 'subagent' }>, cwd: string): unknown[] {
  const inner = e.event;
  if (inner.type !== 'assistant_message' && inner.type !== 'tool_start' && inner.type !== 'tool_end' && inner.type !== 'subagent') return [];
  return updatesFor(inner, cwd)
    .map((u) => u as Record<string, unknown>)
    .filter((u) => u.sessionUpdate === 'tool_call' || u.sessionUpdate === 'tool_call_update')
    .map((u) => ({
      ...u,
      ...(typeof u.title === 'string' && inner.type !== 'subagent' && { title: `${e.agent}: ${u.title}` }),
      _meta: { ...(u._meta as object | undefined), ...(inner.type !== 'subagent' && { parentToolCallId: e.callId, agent: e.agent }) },
    }));
}

/** A resumed session's history as updates (session/load): what the user and the model said, and the calls. */
export function replayUpdates(events: AgentEvent[], cwd: string): unknown[] {
  const out: unknown[] = [];
  for (const e of events) {
    if (e.type === 'assistant_message') {
      if (e.message.reasoning) out.push({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: e.message.reasoning } });
      if (e.message.content) out.push({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: e.message.content } });
    }
    if (e.type !== 'text_delta' && e.type !== 'thinking_delta' && e.type !== 'error') out.push(...updatesFor(e, cwd));
  }
  return out;
}
