// Turns an accumulated stream into the AssistantMessage stored in history: checked tool-call arguments,
// normalised finish reason. Pure; imports only ../types.ts and ./accumulate.ts (types).

import type { AssistantMessage, FinishReason, ToolCall } from '../types.ts';
import type { AccumulatedTurn, RawToolCall } from './accumulate.ts';

/** The contract of `repairArguments` in ./repair-arguments.ts (extra fields such as `repaired` are ignored). */
export type RepairArguments = (raw: string) => { json: string } | { error: string };

/** The minimal repairer: accepts valid JSON only (for callers that want no repair at all). */
export const validJsonOnly: RepairArguments = (raw) => {
  try {
    JSON.parse(raw);
    return { json: raw };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

const KNOWN: ReadonlySet<string> = new Set<FinishReason>([
  'stop',
  'tool_calls',
  'length',
  'sensitive',
  'network_error',
  'model_context_window_exceeded',
]);

/** Unknown values become 'stop'; a 'stop' that carried tool calls becomes 'tool_calls' (tool_stream quirk). */
export function normaliseFinish(raw: string | null, hasToolCalls: boolean): FinishReason {
  const reason = raw !== null && KNOWN.has(raw) ? (raw as FinishReason) : 'stop';
  if (reason === 'stop' && hasToolCalls) return 'tool_calls';
  return reason;
}

function randomId(): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `call_${hex}`;
}

/**
 * Checked arguments: empty means `{}`; otherwise the repairer decides (valid objects come back unchanged).
 * When it gives up: `{}` plus `invalid`, because history must never carry broken JSON.
 */
export function finishToolCall(raw: RawToolCall, repair: RepairArguments): ToolCall {
  const call: ToolCall = { id: raw.id ?? randomId(), name: raw.name ?? '', arguments: '{}' };
  const text = raw.arguments;
  if (text.trim() === '') return call;
  let checked: ReturnType<RepairArguments>;
  try {
    checked = repair(text);
  } catch (e) {
    checked = { error: e instanceof Error ? e.message : String(e) };
  }
  if ('json' in checked) return { ...call, arguments: checked.json };
  return { ...call, invalid: { raw: text, error: checked.error } };
}

export function buildAssistantMessage(turn: AccumulatedTurn, repair: RepairArguments): AssistantMessage {
  const message: AssistantMessage = { role: 'assistant', content: turn.content };
  if (turn.reasoning !== '') message.reasoning = turn.reasoning;
  const calls = turn.toolCalls.filter((c) => c.name !== undefined || c.arguments !== '' || c.id !== undefined);
  if (calls.length > 0) message.toolCalls = uniqueIds(calls.map((c) => finishToolCall(c, repair)));
  return message;
}

/** Each call's result answers its id: a call that repeats an earlier call's id gets one of its own. */
function uniqueIds(calls: ToolCall[]): ToolCall[] {
  const seen = new Set<string>();
  return calls.map((c) => {
    const call = seen.has(c.id) ? { ...c, id: randomId() } : c;
    seen.add(call.id);
    return call;
  });
}
