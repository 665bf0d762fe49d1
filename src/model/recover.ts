// Recovers what a misconfigured server leaves in the text, for one attempt: `<think>` reasoning in content, GLM
// tool-call markup in content or reasoning, the GLM-4-0414 `name\n{json}` form. Streams only what is safe to show
// and fixes the final message the same way. Pure; imports only the parsers beside it and ../types.ts.

import { isSelfHosted } from '../providers.ts';
import type { AssistantMessage, Dialect, ModelEvent, ToolCall, ToolSchema } from '../types.ts';
import { createRawToolCallScanner, parseLegacyGlm4Call, recoverCallsFromReasoning, type RawToolCallScanner, type TextToolCall } from './raw-tool-calls.ts';
import { createThinkSplitter, type ThinkSplitter } from './think-split.ts';

export interface RecoveryOptions {
  dialect: Dialect;
  model: string;
  tools: ToolSchema[];
  /** Thinking was asked for (or cannot be turned off) on this request. */
  thinking: boolean;
}

export interface TextRecovery {
  /** One delta event in, the events to show now out (text may be held back, or moved to reasoning). */
  map(event: ModelEvent): ModelEvent[];
  /**
   * The end of a finished stream: the held-back text that is safe to show, and the final message (content and
   * reasoning as shown, plus calls recovered from the text when the server sent no structured call).
   */
  end(message: AssistantMessage, finishReason: string | null): { events: ModelEvent[]; message: AssistantMessage };
}

/** GLM-4-0414 and GLM-Z1 write calls as `name\n{json}` (glm-protocol.md §7.8). */
export function isLegacyGlm4(model: string): boolean {
  return /(^|\/)glm-(4-.*0414|z1)/i.test(model.trim());
}

function randomId(): string {
  let hex = '';
  for (let i = 0; i < 24; i++) hex += Math.floor(Math.random() * 16).toString(16);
  return `call_${hex}`;
}

const toToolCall = (call: TextToolCall): ToolCall =>
  call.invalid ? { id: randomId(), name: call.name, arguments: '{}', invalid: call.invalid } : { id: randomId(), name: call.name, arguments: call.arguments };

/** An unclosed `<tool_call>NAME…` naming a declared tool becomes an invalid call the model is told about. */
function unterminatedCall(text: string, tools: ToolSchema[], finishReason: string | null): ToolCall | undefined {
  const name = /^<tool_call>([^\n<>]*)/.exec(text)?.[1]?.trim().toLowerCase() ?? '';
  const tool = name ? tools.find((t) => t.name.toLowerCase() === name) : undefined;
  if (!tool) return undefined;
  const error =
    finishReason === 'length'
      ? 'the call was cut off by the output limit before </tool_call>'
      : 'the call was never closed with </tool_call>';
  return { id: randomId(), name: tool.name, arguments: '{}', invalid: { raw: text, error } };
}

/**
 * Holds content back while it could still be a GLM-4-0414 call (`ToolName\n{…}`): until the first line is
 * known not to be a declared tool name.
 */
function createLegacyHold(tools: ToolSchema[]) {
  let state: 'deciding' | 'held' | 'pass' = 'deciding';
  let buf = '';
  return {
    push(text: string): string {
      if (state === 'pass') return text;
      buf += text;
      if (state === 'held') return '';
      const newline = buf.indexOf('\n');
      const head = (newline < 0 ? buf : buf.slice(0, newline)).trim();
      const fits = newline < 0 ? tools.some((t) => t.name.startsWith(head)) : tools.some((t) => t.name === head);
      if (fits && newline >= 0) state = 'held';
      if (fits) return '';
      state = 'pass';
      const out = buf;
      buf = '';
      return out;
    },
    /** The held text and, when it is a call, that call. */
    end(): { text: string; call?: TextToolCall } {
      const text = buf;
      buf = '';
      if (state === 'pass' || text.trim() === '') return { text };
      const call = parseLegacyGlm4Call(text, tools);
      return call ? { text: '', call } : { text };
    },
  };
}

export function createTextRecovery(o: RecoveryOptions): TextRecovery {
  const withTools = o.tools.length > 0;
  const contentCalls: RawToolCallScanner | undefined = withTools ? createRawToolCallScanner(o.tools) : undefined;
  const reasoningView: RawToolCallScanner | undefined = withTools ? createRawToolCallScanner(o.tools) : undefined;
  const legacy = withTools && isLegacyGlm4(o.model) ? createLegacyHold(o.tools) : undefined;
  let splitter: ThinkSplitter | undefined;
  /** Content may start inside reasoning (GLM-4.7+ template, no reasoning parser): decided at the first content. */
  let maybeReasoning = false;
  let rawContent = '';
  let structuredReasoning = '';
  /** Reasoning split out of content. */
  let splitReasoning = '';
  let shownContent = '';
  let sawStructuredCall = false;

  const showReasoning = (text: string, out: ModelEvent[]): void => {
    if (text === '') return;
    const visible = reasoningView ? reasoningView.push(text).content : text;
    if (visible !== '') out.push({ type: 'thinking_delta', text: visible });
  };
  const showContent = (text: string, out: ModelEvent[]): void => {
    let visible = contentCalls ? contentCalls.push(text).content : text;
    if (legacy) visible = legacy.push(visible);
    if (visible === '') return;
    shownContent += visible;
    out.push({ type: 'text_delta', text: visible });
  };

  function onContent(text: string, out: ModelEvent[]): void {
    rawContent += text;
    if (!splitter) {
      // A server the user runs may have no reasoning parser configured: its content can start inside <think>.
      maybeReasoning = isSelfHosted(o.dialect) && o.thinking && structuredReasoning === '';
      splitter = createThinkSplitter({ startsInThinking: maybeReasoning });
    }
    const part = splitter.push(text);
    splitReasoning += part.reasoning;
    showReasoning(part.reasoning, out);
    showContent(part.content, out);
  }

  return {
    map(event) {
      const out: ModelEvent[] = [];
      if (event.type === 'text_delta') onContent(event.text, out);
      else if (event.type === 'thinking_delta') {
        structuredReasoning += event.text;
        showReasoning(event.text, out);
      } else {
        if (event.type === 'tool_call_delta') sawStructuredCall = true;
        out.push(event);
      }
      return out;
    },
    end(message, finishReason) {
      const events: ModelEvent[] = [];
      if (splitter) {
        const rest = splitter.end();
        splitReasoning += rest.reasoning;
        showReasoning(rest.reasoning, events);
        showContent(rest.content, events);
      }
      // A stream assumed to start inside reasoning that never closed it was an answer after all.
      if (maybeReasoning && !rawContent.includes('</think>') && !/^\s*<think>/.test(rawContent)) {
        showContent(splitReasoning, events);
        splitReasoning = '';
      }
      const visible = reasoningView?.end();
      if (visible?.content) events.push({ type: 'thinking_delta', text: visible.content });
      const calls = endContent(finishReason, events);
      return { events, message: finalMessage(message, calls) };
    },
  };

  /** Flushes the content scanners; returns the calls found in content. */
  function endContent(finishReason: string | null, events: ModelEvent[]): ToolCall[] {
    if (!contentCalls) return [];
    const end = contentCalls.end();
    const calls = end.calls.map(toToolCall);
    let tail = end.content;
    if (end.unterminated !== undefined) {
      const cut = unterminatedCall(end.unterminated, o.tools, finishReason);
      if (cut) calls.push(cut);
      else tail += end.unterminated;
    }
    if (legacy) {
      tail = legacy.push(tail);
      const held = legacy.end();
      tail += held.text;
      if (held.call && calls.length === 0) calls.push(toToolCall(held.call));
    }
    if (tail !== '') {
      shownContent += tail;
      events.push({ type: 'text_delta', text: tail });
    }
    return calls;
  }

  function finalMessage(message: AssistantMessage, contentCalls: ToolCall[]): AssistantMessage {
    const fixed: AssistantMessage = { ...message };
    const structured = sawStructuredCall || (message.toolCalls?.length ?? 0) > 0;
    const calls = structured ? [] : contentCalls;
    let reasoning = structuredReasoning + splitReasoning;
    if (withTools && !structured && calls.length === 0 && reasoning.includes('</tool_call>')) {
      const recovered = recoverCallsFromReasoning(reasoning, o.tools);
      reasoning = recovered.reasoning;
      calls.push(...recovered.calls.map(toToolCall));
    }
    fixed.content = calls.length > 0 && shownContent.trim() === '' ? '' : shownContent;
    if (reasoning !== '') fixed.reasoning = reasoning;
    else delete fixed.reasoning;
    if (calls.length > 0) fixed.toolCalls = calls;
    return fixed;
  }
}
