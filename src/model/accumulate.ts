// Pure chunk accumulator: feed parsed chat-completion chunks, get delta events and the accumulated turn.
// Knows every GLM stream shape (glm-protocol.md §5, §7.7, §8.2). Imports only ../types.ts: no SDK, no I/O.

import type { ModelEvent, Usage } from '../types.ts';

/** A tool call as streamed, before its arguments are checked. */
export interface RawToolCall {
  /** The server's `index`, when it sent one. */
  index?: number;
  id?: string;
  name?: string;
  arguments: string;
}

export interface AccumulatedTurn {
  content: string;
  reasoning: string;
  toolCalls: RawToolCall[];
  /** The last non-null finish_reason seen, verbatim; null when the stream never finished. */
  finishReason: string | null;
  usage?: Usage;
  /** How many chunks were fed (0: the server sent nothing usable). */
  chunks: number;
}

export interface ChunkAccumulator {
  /** Feed one parsed chunk; returns the delta events it carries, in order. */
  push(chunk: unknown): ModelEvent[];
  result(): AccumulatedTurn;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Maps an OpenAI-style usage object; null when there is none. */
export function mapUsage(raw: unknown): Usage | undefined {
  if (!isObj(raw)) return undefined;
  const prompt = isObj(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const completion = isObj(raw.completion_tokens_details) ? raw.completion_tokens_details : {};
  return {
    inputTokens: num(raw.prompt_tokens),
    outputTokens: num(raw.completion_tokens),
    cachedTokens: num(prompt.cached_tokens),
    reasoningTokens: num(completion.reasoning_tokens),
    // OpenRouter reports what the request cost (USD) in the usage of its final chunk.
    ...(typeof raw.cost === 'number' && Number.isFinite(raw.cost) && { cost: raw.cost }),
  };
}

/** Reasoning text of one delta: `reasoning_content` ‖ `reasoning` ‖ `reasoning_details[].text` (never twice). */
export function reasoningOf(delta: Obj): string {
  const direct = str(delta.reasoning_content) ?? str(delta.reasoning);
  if (direct !== undefined) return direct;
  if (!Array.isArray(delta.reasoning_details)) return '';
  return delta.reasoning_details
    .map((d) => (isObj(d) ? (str(d.text) ?? str(d.summary) ?? '') : ''))
    .join('');
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function createAccumulator(): ChunkAccumulator {
  const turn: AccumulatedTurn = { content: '', reasoning: '', toolCalls: [], finishReason: null, chunks: 0 };

  /** Index by `index`, fall back to `id`, then to the call being streamed. */
  function slotFor(fragment: Obj): number {
    const calls = turn.toolCalls;
    const index = typeof fragment.index === 'number' ? fragment.index : undefined;
    const id = str(fragment.id) || undefined;
    let at = -1;
    if (index !== undefined) at = calls.findIndex((c) => c.index === index);
    else if (id !== undefined) at = calls.findIndex((c) => c.id === id);
    else at = calls.length - 1;
    if (at >= 0) return at;
    calls.push({ index, arguments: '' });
    return calls.length - 1;
  }

  function pushToolCall(fragment: Obj, events: ModelEvent[]): void {
    const slot = slotFor(fragment);
    const call = turn.toolCalls[slot]!;
    const fn = isObj(fragment.function) ? fragment.function : {};
    const id = str(fragment.id) || undefined;
    const name = str(fn.name) || undefined;
    // Some OpenAI-compatible servers send the arguments as an object, not its JSON text: keep them, as text.
    let args = str(fn.arguments) ?? (isObj(fn.arguments) ? JSON.stringify(fn.arguments) : '');
    if (id !== undefined && call.id === undefined) call.id = id;
    if (name !== undefined && call.name === undefined) call.name = name;
    // A buggy final delta may repeat the complete arguments (glm-protocol.md §9): drop the echo.
    if (args !== '' && args === call.arguments && isValidJson(args)) args = '';
    call.arguments += args;
    if (id === undefined && name === undefined && args === '') return;
    events.push({ type: 'tool_call_delta', index: slot, id, name, argumentsDelta: args });
  }

  function pushChoice(choice: Obj, events: ModelEvent[]): void {
    const delta = isObj(choice.delta) ? choice.delta : isObj(choice.message) ? choice.message : {};
    const reasoning = reasoningOf(delta);
    if (reasoning !== '') {
      turn.reasoning += reasoning;
      events.push({ type: 'thinking_delta', text: reasoning });
    }
    const content = str(delta.content);
    if (content) {
      turn.content += content;
      events.push({ type: 'text_delta', text: content });
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) if (isObj(fragment)) pushToolCall(fragment, events);
    }
    const finish = str(choice.finish_reason);
    if (finish) turn.finishReason = finish;
  }

  return {
    push(chunk: unknown): ModelEvent[] {
      const events: ModelEvent[] = [];
      if (!isObj(chunk)) return events;
      turn.chunks++;
      const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
      for (const choice of choices) {
        if (!isObj(choice)) continue;
        if (typeof choice.index === 'number' && choice.index !== 0) continue;
        pushChoice(choice, events);
      }
      const usage = mapUsage(chunk.usage);
      if (usage) turn.usage = usage;
      return events;
    },
    result: () => turn,
  };
}
