// What the REPL shows again of a resumed session: the last exchanges of its transcript, compacted (prompts
// without their @file attachments and cut to a few lines, tool calls as one line each, no diffs). Pure;
// imports only types: the reducer (state.ts, action `replay`) turns the events into finished items.
import type { AgentEvent } from '../types.ts';

/** Exchanges (a prompt and everything until the next one) shown again; older ones become one line. */
export const REPLAY_EXCHANGES = 20;
const PROMPT_LINES = 12;

/**
 * Only what ends up on screen as a finished item; deltas, turn and approval events are left out, but a denial:
 * its call shows as "Denied: <reason>", as it did live, not as the instruction the model was given.
 */
const SHOWN = new Set<AgentEvent['type']>(['user_message', 'assistant_message', 'tool_start', 'tool_end', 'compaction', 'error', 'done']);
const shown = (e: AgentEvent): boolean => SHOWN.has(e.type) || (e.type === 'approval_result' && e.decision === 'deny');

export interface Replay {
  events: AgentEvent[];
  /** Earlier prompts and answers not shown. */
  skipped: number;
}

export function replayEvents(all: readonly AgentEvent[], max = REPLAY_EXCHANGES): Replay {
  const starts = all.flatMap((e, i) => (isPrompt(e) ? [i] : []));
  const from = starts.length > max ? starts[starts.length - max]! : 0;
  const skipped = all.slice(0, from).filter((e) => isPrompt(e) || (e.type === 'assistant_message' && e.message.content.trim() !== '')).length;
  const events = all.slice(from).flatMap((e) => (shown(e) ? [compact(e)] : []));
  return { events, skipped };
}

const isPrompt = (e: AgentEvent): boolean => e.type === 'user_message' && !e.synthetic;

function compact(e: AgentEvent): AgentEvent {
  if (e.type === 'user_message') return { ...e, text: shortPrompt(e.text) };
  if (e.type === 'tool_end') {
    // The summary line only; a failed call without one keeps the first line of its output.
    const output = e.isError && !e.display?.summary ? (e.output.split('\n')[0] ?? '') : '';
    return { ...e, output, display: e.display && { summary: e.display.summary } };
  }
  return e;
}

/** The prompt as typed: attachments of @mentions dropped, long ones cut to their first lines. */
export function shortPrompt(text: string): string {
  const attached = text.search(/\n\n<(?:(?:file|folder) path|mcp-resource server)="/);
  const typed = (attached >= 0 ? text.slice(0, attached) : text).trimEnd();
  const lines = typed.split('\n');
  if (lines.length <= PROMPT_LINES) return typed;
  const more = lines.length - PROMPT_LINES;
  return `${lines.slice(0, PROMPT_LINES).join('\n')}\n… (${more} more line${more === 1 ? '' : 's'})`;
}
