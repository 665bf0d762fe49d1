// The REPL's UI state and its pure reducer: (UiState, AgentEvent | UiAction) → UiState.
// Finished items wait in `finished` until the scrollback has written them, then are dropped (bounded memory);
// only `live` (message in flight, running tools) re-renders. Imports only types and pure helpers: no ink/react.
import { safeLine } from '../terminal-text.ts';
import { countWords, finishedLength } from './blocks.ts';
import { emptyUsage, type AgentEvent, type ApprovalRequest, type PermissionMode, type Usage } from '../types.ts';

export type Tone = 'info' | 'warn' | 'error' | 'dim';

export type FinishedItem =
  | { kind: 'user'; id: number; text: string }
  /** A finished block of an answer (raw Markdown); `first` marks the start of an assistant message. */
  | { kind: 'answer'; id: number; markdown: string; first: boolean }
  /** Reasoning collapsed to one line; `text` only when shown in full (Ctrl+T). */
  | { kind: 'reasoning'; id: number; words: number; text?: string }
  | { kind: 'tool'; id: number; title: string; summary?: string; diff?: string; isError: boolean; detail?: string; nested?: string[] }
  | { kind: 'notice'; id: number; text: string; tone: Tone };

/** FinishedItem without its id, as passed to `push`. */
type NewItem = FinishedItem extends infer T ? (T extends FinishedItem ? Omit<T, 'id'> : never) : never;

export interface LiveTool {
  callId: string;
  name: string;
  title: string;
  /** The last few KB of live output (Bash). */
  tail: string;
  /** A subagent's (Task) finished tool calls, one line each: counted live, shown with ctrl+t. */
  nested?: string[];
}

export interface PickerOption {
  label: string;
  value: string;
  hint?: string;
}

export interface UiState {
  /** Items not yet written to the scrollback. */
  finished: FinishedItem[];
  /** Bumped when written items are dropped, so a late report of what was written cannot drop newer items. */
  epoch: number;
  nextId: number;
  live: {
    reasoning: string;
    text: string;
    /** Text / reasoning deltas arrived for the current assistant message. */
    sawText: boolean;
    sawReasoning: boolean;
    /** A block of the current assistant message is already in `finished`. */
    answerStarted: boolean;
    tools: LiveTool[];
  };
  busy: boolean;
  busySince?: number;
  /** A transient line under the live region (retries). */
  status?: string;
  /** A transient hint near the prompt ("Press Ctrl+C again to exit"). */
  hint?: string;
  approval?: { request: ApprovalRequest; typing: boolean; feedback: string };
  picker?: { title: string; options: PickerOption[]; index: number };
  queue: string[];
  showReasoning: boolean;
  /** The latest reasoning block, for Ctrl+T. */
  lastReasoning?: string;
  /** The last assistant message was reasoning only (no text, no tool calls): `done` shows it as the answer. */
  reasoningOnly?: boolean;
  sessionId?: string;
  model: string;
  provider: string;
  thinking: boolean;
  mode: PermissionMode;
  /** Commands run in the OS sandbox. */
  sandboxed?: boolean;
  contextTokens: number;
  usage: Usage;
  completionsVersion: number;
  exiting: boolean;
}

export type UiAction =
  | { type: 'submit'; text: string; at: number }
  | { type: 'notice'; text: string; tone?: Tone }
  | { type: 'static_flushed'; epoch: number; count: number }
  | { type: 'approval_open'; request: ApprovalRequest }
  | { type: 'approval_typing'; feedback: string }
  | { type: 'approval_close' }
  | { type: 'picker_open'; title: string; options: PickerOption[] }
  | { type: 'picker_move'; delta: number }
  | { type: 'picker_close' }
  | { type: 'set_queue'; queue: string[] }
  | { type: 'toggle_reasoning' }
  | { type: 'set_mode'; mode: PermissionMode }
  | { type: 'set_model'; model: string }
  | { type: 'set_thinking'; thinking: boolean }
  | { type: 'stats'; contextTokens: number; usage: Usage }
  | { type: 'hint'; text?: string }
  /** Project files or custom commands finished loading: completion may offer more. */
  | { type: 'completions_changed' }
  /** The REPL is closing: only what the scrollback wrote stays on screen. */
  | { type: 'exiting' }
  | { type: 'session_opened'; id: string; sandboxed?: boolean }
  /** A resumed session's earlier conversation (see replayEvents in replay.ts), shown as finished items. */
  | { type: 'replay'; events: AgentEvent[]; skipped: number };

export type UiInput = AgentEvent | UiAction;

const TAIL_CHARS = 2000;

const emptyLive = (): UiState['live'] => ({ reasoning: '', text: '', sawText: false, sawReasoning: false, answerStarted: false, tools: [] });

export function initialState(o: { model: string; provider: string; thinking: boolean; mode: PermissionMode }): UiState {
  return {
    finished: [],
    epoch: 0,
    nextId: 1,
    live: emptyLive(),
    busy: false,
    queue: [],
    showReasoning: false,
    model: o.model,
    provider: o.provider,
    thinking: o.thinking,
    mode: o.mode,
    contextTokens: 0,
    usage: emptyUsage(),
    completionsVersion: 0,
    exiting: false,
  };
}

function push(s: UiState, item: NewItem): UiState {
  return { ...s, finished: [...s.finished, { ...item, id: s.nextId } as FinishedItem], nextId: s.nextId + 1 };
}

/** Moves reasoning in flight to a one-line (or, with Ctrl+T, full) finished item. */
function finishReasoning(s: UiState): UiState {
  const text = s.live.reasoning.trim();
  if (!text) return s.live.reasoning ? { ...s, live: { ...s.live, reasoning: '' } } : s;
  const next = push(s, { kind: 'reasoning', words: countWords(text), text: s.showReasoning ? text : undefined });
  return { ...next, lastReasoning: text, live: { ...next.live, reasoning: '' } };
}

/** Moves `markdown` (a finished part of the answer) to the static area. */
function pushAnswer(s: UiState, markdown: string): UiState {
  if (!markdown.trim()) return s;
  const next = push(s, { kind: 'answer', markdown: markdown.replace(/\s+$/, ''), first: !s.live.answerStarted });
  return { ...next, live: { ...next.live, answerStarted: true } };
}

function onTextDelta(s: UiState, delta: string): UiState {
  s = finishReasoning(s);
  let text = s.live.text + delta;
  if (delta.includes('\n')) {
    const cut = finishedLength(text);
    if (cut > 0) {
      s = pushAnswer(s, text.slice(0, cut));
      text = text.slice(cut);
    }
  }
  return { ...s, status: undefined, live: { ...s.live, text, sawText: true } };
}

/** Ends the assistant message in flight: reasoning collapses, the rest of the text moves to static. */
function finishMessage(s: UiState, content?: string, reasoning?: string): UiState {
  if (!s.live.sawReasoning && reasoning) s = { ...s, live: { ...s.live, reasoning } };
  s = finishReasoning(s);
  s = pushAnswer(s, s.live.sawText ? s.live.text : (content ?? ''));
  return { ...s, live: { ...s.live, text: '', sawText: false, sawReasoning: false, answerStarted: false } };
}

function onToolEnd(s: UiState, e: Extract<AgentEvent, { type: 'tool_end' }>): UiState {
  const live = s.live.tools.find((t) => t.callId === e.callId);
  const tools = s.live.tools.filter((t) => t.callId !== e.callId);
  const detail = e.isError && !e.display?.summary ? firstLines(e.output, 3) : undefined;
  const next = push(s, {
    kind: 'tool',
    title: live?.title ?? e.title ?? e.name,
    summary: e.display?.summary,
    diff: e.display?.diff,
    isError: e.isError,
    detail,
    // A subagent's own tool lines: collapsed unless the transcript view (ctrl+t) is on.
    ...(live?.nested?.length && s.showReasoning && { nested: live.nested }),
  });
  return { ...next, live: { ...next.live, tools } };
}

const firstLines = (text: string, n: number): string => text.split('\n').slice(0, n).join('\n');

function onDone(s: UiState, e: Extract<AgentEvent, { type: 'done' }>): UiState {
  s = finishMessage(s);
  // Like headless mode, which prints the reasoning when that is all the model gave.
  const reasoningAnswer = e.reason === 'completed' && s.reasoningOnly ? e.text.trim() || s.lastReasoning : undefined;
  if (reasoningAnswer) {
    s = push(s, { kind: 'notice', text: 'The model answered only in its reasoning:', tone: 'dim' });
    s = pushAnswer(s, reasoningAnswer);
    s = { ...s, live: { ...s.live, answerStarted: false } };
  }
  s = { ...s, reasoningOnly: false };
  s = closeOpenTools(s);
  s = { ...s, busy: false, busySince: undefined, status: undefined, approval: undefined, live: { ...s.live, tools: [] } };
  if (e.reason === 'aborted') return push(s, { kind: 'notice', text: 'Interrupted. Tell glm what to do instead.', tone: 'warn' });
  if (e.reason === 'max_turns') return push(s, { kind: 'notice', text: `Stopped after ${e.turns} turns (the turn limit). Say "continue" to go on.`, tone: 'warn' });
  if (e.reason === 'loop') return push(s, { kind: 'notice', text: 'Stopped: the model was repeating the same calls.', tone: 'warn' });
  return s;
}

function reduceEvent(s: UiState, e: AgentEvent): UiState {
  switch (e.type) {
    case 'session_start':
      return { ...s, sessionId: e.sessionId, model: e.model, provider: e.provider, mode: e.permissionMode };
    case 'turn_start':
      return s.busy ? s : { ...s, busy: true };
    case 'thinking_delta':
      return { ...s, status: undefined, live: { ...s.live, reasoning: s.live.reasoning + e.text, sawReasoning: true } };
    case 'text_delta':
      return onTextDelta(s, e.text);
    case 'tool_call_delta':
      return s;
    case 'assistant_message': {
      const m = e.message;
      const reasoningOnly = !m.content.trim() && !m.toolCalls?.length && Boolean(m.reasoning?.trim()) && !e.interrupted;
      return { ...finishMessage(s, m.content, m.reasoning), reasoningOnly };
    }
    case 'tool_start': {
      const flushed = finishMessage(s);
      const tool: LiveTool = { callId: e.callId, name: e.name, title: e.title, tail: '' };
      return { ...flushed, live: { ...flushed.live, tools: [...flushed.live.tools, tool] } };
    }
    case 'tool_output': {
      const tools = s.live.tools.map((t) => (t.callId === e.callId ? { ...t, tail: (t.tail + e.chunk).slice(-TAIL_CHARS) } : t));
      return { ...s, live: { ...s.live, tools } };
    }
    case 'tool_end':
      return onToolEnd(s, e);
    case 'approval_result':
      if (e.by === 'user' && e.decision === 'allow' && e.rule) {
        return push(s, { kind: 'notice', text: `Allowed for this session: ${safeLine(e.rule)}`, tone: 'dim' });
      }
      return s;
    case 'retry':
      return { ...s, status: `Retrying (${e.attempt}/${e.maxAttempts}) in ${Math.ceil(e.delayMs / 1000)}s: ${e.reason}` };
    case 'compaction':
      return push(s, { kind: 'notice', text: `Context compacted: ${formatTokens(e.beforeTokens)} → ${formatTokens(e.afterTokens)} tokens`, tone: 'dim' });
    case 'error':
      return push(finishMessage(s), { kind: 'notice', text: e.message, tone: 'error' });
    case 'hook_response': // one line per hook that blocked, failed or has a message for the user
      return e.message ? push(s, { kind: 'notice', text: `${e.hookName} hook: ${safeLine(e.message)}`, tone: e.outcome === 'success' ? 'dim' : 'warn' }) : s;
    case 'done':
      return onDone(s, e);
    case 'user_message': // the controller shows what the user typed, not the expanded prompt
    case 'approval_request': // the approver opens the prompt
    case 'turn_end':
      return s;
    case 'subagent':
      return onSubagent(s, e);
  }
}

/** A subagent's finished tool call: one more nested line under its Task. */
function onSubagent(s: UiState, e: Extract<AgentEvent, { type: 'subagent' }>): UiState {
  const inner = e.event;
  if (inner.type !== 'tool_end') return s;
  const line = `${inner.isError ? '✗' : '✓'} ${inner.title ?? inner.name}${inner.display?.summary ? ` · ${inner.display.summary}` : ''}`;
  const tools = s.live.tools.map((t) => (t.callId === e.callId ? { ...t, nested: [...(t.nested ?? []), line], tail: line } : t));
  return { ...s, live: { ...s.live, tools } };
}

function reduceAction(s: UiState, a: UiAction): UiState {
  switch (a.type) {
    case 'submit':
      return { ...push(s, { kind: 'user', text: a.text }), busy: true, busySince: a.at, hint: undefined };
    case 'notice':
      return push(s, { kind: 'notice', text: a.text, tone: a.tone ?? 'info' });
    case 'static_flushed':
      if (a.epoch !== s.epoch || a.count === 0) return s;
      return { ...s, finished: s.finished.slice(a.count), epoch: s.epoch + 1 };
    case 'approval_open':
      return { ...s, approval: { request: a.request, typing: false, feedback: '' } };
    case 'approval_typing':
      return s.approval ? { ...s, approval: { ...s.approval, typing: true, feedback: a.feedback } } : s;
    case 'approval_close':
      return s.approval ? { ...s, approval: undefined } : s;
    case 'picker_open':
      return { ...s, picker: { title: a.title, options: a.options, index: 0 } };
    case 'picker_move': {
      if (!s.picker || s.picker.options.length === 0) return s;
      const n = s.picker.options.length;
      return { ...s, picker: { ...s.picker, index: (s.picker.index + a.delta + n) % n } };
    }
    case 'picker_close':
      return s.picker ? { ...s, picker: undefined } : s;
    case 'set_queue':
      return { ...s, queue: a.queue };
    case 'toggle_reasoning': {
      const showReasoning = !s.showReasoning;
      const next = { ...s, showReasoning };
      // Static lines cannot be redrawn: showing reasoning prints the latest block again, in full.
      if (showReasoning && s.lastReasoning && !s.live.reasoning) {
        return push(next, { kind: 'reasoning', words: countWords(s.lastReasoning), text: s.lastReasoning });
      }
      return next;
    }
    case 'set_mode':
      return { ...s, mode: a.mode };
    case 'set_model':
      return { ...s, model: a.model };
    case 'set_thinking':
      return { ...s, thinking: a.thinking };
    case 'stats':
      return { ...s, contextTokens: a.contextTokens, usage: a.usage };
    case 'hint':
      return s.hint === a.text ? s : { ...s, hint: a.text };
    case 'exiting':
      return { ...s, exiting: true };
    case 'completions_changed':
      return { ...s, completionsVersion: s.completionsVersion + 1 };
    case 'session_opened':
      return { ...s, sessionId: a.id, lastReasoning: undefined, sandboxed: a.sandboxed };
    case 'replay':
      return replay(s, a.events, a.skipped);
  }
}

/** Tool calls still running when the run ended, written as interrupted (they stay in live.tools). */
function closeOpenTools(s: UiState): UiState {
  for (const t of s.live.tools) s = push(s, { kind: 'tool', title: t.title, summary: 'interrupted', isError: true });
  return s;
}

/** A resumed session's earlier conversation as finished items, rendered like live ones; nothing of it stays live. */
function replay(s: UiState, events: readonly AgentEvent[], skipped: number): UiState {
  let r: UiState = { ...s, live: emptyLive() };
  if (skipped > 0) r = push(r, { kind: 'notice', text: `… ${skipped} earlier message${skipped === 1 ? '' : 's'} not shown`, tone: 'dim' });
  for (const e of events) {
    if (e.type !== 'user_message') r = reduceEvent(r, e);
    else if (!e.synthetic) r = push(finishMessage(r), { kind: 'user', text: e.text });
  }
  r = finishMessage(r);
  r = closeOpenTools(r); // a transcript that ends inside a turn (glm was killed): its open calls never finished
  return { ...r, live: s.live, busy: s.busy, busySince: s.busySince, status: s.status, approval: s.approval, reasoningOnly: false };
}

const AGENT_EVENTS = new Set<string>([
  'session_start', 'user_message', 'turn_start', 'thinking_delta', 'text_delta', 'assistant_message', 'tool_start',
  'approval_request', 'approval_result', 'tool_output', 'tool_end', 'turn_end', 'retry', 'compaction', 'error', 'done', 'hook_response', 'subagent',
  'tool_call_delta',
]);

export function reduce(s: UiState, input: UiInput): UiState {
  return AGENT_EVENTS.has(input.type) ? reduceEvent(s, input as AgentEvent) : reduceAction(s, input as UiAction);
}

/** `$0.0123`, `$1.234`, `$12.34`. */
export function formatCost(usd: number): string {
  return `$${usd >= 10 ? usd.toFixed(2) : usd >= 1 ? usd.toFixed(3) : usd.toFixed(4)}`;
}

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}
