// The REPL's UI state and its pure reducer: (UiState, AgentEvent | UiAction) → UiState.
// Finished items wait in `finished` until the scrollback has written them, then are dropped (bounded memory);
// only `live` (message in flight, running tools) re-renders. Imports only types and pure helpers: no ink/react.
import { safeLine } from '../terminal-text.ts';
import { countWords, finishedLength } from './blocks.ts';
import { lastOutputLines, settleOutput } from './terminal-output.ts';
import { emptyUsage, type AgentEvent, type ApprovalRequest, type Config, type PermissionMode, type Usage } from '../types.ts';

export type Tone = 'info' | 'warn' | 'error' | 'dim';

export type FinishedItem =
  | { kind: 'user'; id: number; text: string }
  /** A finished block of an answer (raw Markdown); `first` marks the start of an assistant message. */
  | { kind: 'answer'; id: number; markdown: string; first: boolean }
  /** Reasoning collapsed to one line; `text` only when shown in full (Ctrl+T). */
  | { kind: 'reasoning'; id: number; words: number; text?: string }
  /** `detail`: lines shown under the tool line (a command's last lines, see HeldTool); `output`: the whole of it (Ctrl+O). */
  | { kind: 'tool'; id: number; title: string; summary?: string; diff?: string; isError: boolean; detail?: string; output?: string; nested?: string[] }
  | { kind: 'notice'; id: number; text: string; tone: Tone };

/** FinishedItem without its id, as passed to `push`. */
type NewItem = FinishedItem extends infer T ? (T extends FinishedItem ? Omit<T, 'id'> : never) : never;
type ToolItem = Omit<Extract<FinishedItem, { kind: 'tool' }>, 'id'>;

/**
 * A finished call whose line waits in the live region for the model's next move. A successful command's last
 * lines (`tail`) stay under its line only when the model then talks about its output, which is taken to be: the
 * model's next message opens with text (before any further tool call). Anything else written first (a tool
 * call, a notice, the end of the run) writes the line without them. Calls that end after a held one wait too,
 * so the lines keep their order.
 */
export interface HeldTool {
  item: ToolItem;
  /** The item for the transcript log (with the whole output). */
  full: ToolItem;
  tail?: string;
}

export interface LiveTool {
  callId: string;
  name: string;
  title: string;
  /** The last few KB of live output (Bash). */
  tail: string;
  /** ExitPlanMode's plan, shown in the scrollback once the call ends. */
  plan?: string;
  /** A subagent's (Task) finished tool calls, one line each: counted live, shown with ctrl+t. */
  nested?: string[];
  /** A foreground Bash command: its output may stay under its line (HeldTool). */
  command?: boolean;
}

export interface PickerOption {
  label: string;
  value: string;
  hint?: string;
}

export interface UiState {
  /** Items not yet written to the scrollback. */
  finished: FinishedItem[];
  /** Every item of the session in full (reasoning text, tool output), for the transcript view (Ctrl+O). */
  log: FinishedItem[];
  /** The transcript view is open, scrolled `scroll` lines up from its end. */
  transcript?: { scroll: number };
  /** Calls the user or a rule denied, until their tool_end: what the user is shown instead of the model's text. */
  denials: Record<string, { by: string; feedback?: string }>;
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
    held: HeldTool[];
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
  /** MCP servers connected, of how many (none configured: undefined). */
  mcp?: { up: number; total: number };
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
  /** `!command`: the command as typed, then what it printed. */
  | { type: 'shell_start'; command: string }
  | { type: 'shell_result'; output: string; status: string; failed: boolean }
  /** Opens or closes the transcript view (Ctrl+O); `scroll` moves it, lines up from the end (never below 0). */
  | { type: 'transcript'; open: boolean }
  | { type: 'transcript_scroll'; delta: number; max: number }
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
  /** How many MCP servers are connected, of how many: the status line shows it. */
  | { type: 'mcp_servers'; up: number; total: number }
  /** A resumed session's earlier conversation (see replayEvents in replay.ts), shown as finished items. */
  | { type: 'replay'; events: AgentEvent[]; skipped: number };

export type UiInput = AgentEvent | UiAction;

const TAIL_CHARS = 2000;
/** Lines of a command kept under its tool line (a failed one, or one the model talks about). */
export const DETAIL_LINES = 10;
/** Items the transcript view keeps (the oldest go first). */
const LOG_MAX = 5000;

const emptyLive = (): UiState['live'] => ({ reasoning: '', text: '', sawText: false, sawReasoning: false, answerStarted: false, tools: [], held: [] });

export function initialState(o: { model: string; provider: string; thinking: boolean; mode: PermissionMode }): UiState {
  return {
    finished: [],
    log: [],
    denials: {},
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

/** Adds an item to the scrollback and, as `full` when given (with what the scrollback leaves out), to the log; held calls go first. */
function push(s: UiState, item: NewItem, full: NewItem = item): UiState {
  return append(s.live.held.length ? settleHeld(s, false) : s, item, full);
}

function append(s: UiState, item: NewItem, full: NewItem): UiState {
  const log = s.log.length >= LOG_MAX ? s.log.slice(-LOG_MAX + 1) : s.log;
  return {
    ...s,
    finished: [...s.finished, { ...item, id: s.nextId } as FinishedItem],
    log: [...log, { ...full, id: s.nextId } as FinishedItem],
    nextId: s.nextId + 1,
  };
}

/** Writes the held calls, with their commands' last lines when the model talks about their output. */
function settleHeld(s: UiState, talked: boolean): UiState {
  const { held } = s.live;
  if (!held.length) return s;
  let next: UiState = { ...s, live: { ...s.live, held: [] } };
  for (const h of held) {
    const detail = talked && h.tail ? h.tail : h.item.detail;
    next = append(next, { ...h.item, detail }, { ...h.full, detail });
  }
  return next;
}

/** Moves reasoning in flight to a one-line (or, with Ctrl+T, full) finished item. */
function finishReasoning(s: UiState): UiState {
  const text = s.live.reasoning.trim();
  if (!text) return s.live.reasoning ? { ...s, live: { ...s.live, reasoning: '' } } : s;
  const next = push(s, { kind: 'reasoning', words: countWords(text), text: s.showReasoning ? text : undefined }, { kind: 'reasoning', words: countWords(text), text });
  return { ...next, lastReasoning: text, live: { ...next.live, reasoning: '' } };
}

/** Moves `markdown` (a finished part of the answer) to the static area. */
function pushAnswer(s: UiState, markdown: string): UiState {
  if (!markdown.trim()) return s;
  const next = push(s, { kind: 'answer', markdown: markdown.replace(/\s+$/, ''), first: !s.live.answerStarted });
  return { ...next, live: { ...next.live, answerStarted: true } };
}

function onTextDelta(s: UiState, delta: string): UiState {
  if (s.live.held.length) {
    // Blank text says nothing yet: the held calls wait for the first word.
    if (!delta.trim()) return { ...s, live: { ...s.live, text: s.live.text + delta, sawText: true } };
    s = settleHeld(s, true);
  }
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
  const denial = s.denials[e.callId];
  const { [e.callId]: _, ...denials } = s.denials;
  const terminal = TERMINAL_TOOLS.has(e.name);
  const item: ToolItem = {
    kind: 'tool' as const,
    title: live?.title ?? e.title ?? e.name,
    summary: denial ? deniedText(denial, e.output) : e.display?.summary,
    diff: e.display?.diff,
    isError: e.isError,
    detail: e.isError && !denial ? outputTail(e.output, DETAIL_LINES, terminal) : undefined,
    // A subagent's own tool lines: collapsed unless the transcript view (ctrl+t) is on.
    ...(live?.nested?.length && s.showReasoning && { nested: live.nested }),
  };
  const full = { ...item, output: denial ? undefined : terminal ? settleOutput(e.output) : e.output };
  const tail = live?.command && !e.isError && !denial && e.output.trim() !== '(no output)' ? outputTail(e.output) : undefined;
  if (!live?.plan && (tail || s.live.held.length)) {
    return { ...s, denials, live: { ...s.live, tools, held: [...s.live.held, { item, full, tail }] } };
  }
  let next = push(s, item, full);
  if (live?.plan) next = push(next, { kind: 'answer', markdown: live.plan, first: false });
  return { ...next, denials, live: { ...next.live, tools } };
}

/**
 * Tools whose output is a process's terminal output (progress bars' \r, colours), shown as a terminal leaves it;
 * any other tool's output (file names, file text, an MCP server's result) keeps every character, shown escaped.
 */
const TERMINAL_TOOLS = new Set(['Bash', 'BashOutput']);

/** The last lines of a tool's output, with how many came before: `… +21 lines`. */
export function outputTail(output: string, n = DETAIL_LINES, terminal = true): string | undefined {
  const { lines, more } = lastOutputLines(output, n, terminal);
  if (!lines.length) return undefined;
  return [...(more ? [`… +${more} line${more === 1 ? '' : 's'}`] : []), ...lines].join('\n');
}

/** What the user sees of a denial; the model's tool result says what to do instead, which is not for the user. */
function deniedText(d: { by: string; feedback?: string }, output: string): string {
  if (d.by === 'user') return d.feedback ? `Denied: ${d.feedback}` : 'Denied';
  const reason = /^Permission denied: (.*?)\. Do not retry/s.exec(output)?.[1] ?? /needs approval \((.*?)\) and glm is running non-interactively/s.exec(output)?.[1];
  return reason ? `Denied: ${reason}` : 'Denied';
}

function onDone(s: UiState, e: Extract<AgentEvent, { type: 'done' }>): UiState {
  s = settleHeld(s, false);
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
  if (e.reason === 'max_turns') return push(s, { kind: 'notice', text: `Stopped after ${e.turns} turn${e.turns === 1 ? '' : 's'} (the turn limit). Say "continue" to go on.`, tone: 'warn' });
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
      // A message not streamed as deltas: its text, if any, is what the model says about the held output.
      return { ...finishMessage(settleHeld(s, Boolean(m.content.trim())), m.content, m.reasoning), reasoningOnly };
    }
    case 'tool_start': {
      const flushed = finishMessage(settleHeld(s, false));
      const input = e.input as { plan?: unknown; run_in_background?: unknown } | undefined;
      const plan = e.name === 'ExitPlanMode' ? input?.plan : undefined;
      const command = e.name === 'Bash' && input?.run_in_background !== true;
      const tool: LiveTool = { callId: e.callId, name: e.name, title: e.title, tail: '', ...(typeof plan === 'string' && { plan }), ...(command && { command }) };
      return { ...flushed, live: { ...flushed.live, tools: [...flushed.live.tools, tool] } };
    }
    case 'tool_output': {
      const tools = s.live.tools.map((t) => (t.callId === e.callId ? { ...t, tail: (t.tail + e.chunk).slice(-TAIL_CHARS) } : t));
      return { ...s, live: { ...s.live, tools } };
    }
    case 'tool_end':
      return onToolEnd(s, e);
    case 'approval_result':
      if (e.decision === 'deny') return { ...s, denials: { ...s.denials, [e.callId]: { by: e.by, feedback: e.feedback } } };
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
      // A blocked prompt is said by the session's error, with the hook's reason: one line, not two.
      if (e.hookEvent === 'UserPromptSubmit' && e.outcome === 'blocked') return s;
      return e.message ? push(s, { kind: 'notice', text: `${e.hookName} hook: ${safeLine(e.message)}`, tone: e.outcome === 'success' ? 'dim' : 'warn' }) : s;
    case 'done':
      return onDone(s, e);
    case 'user_message': // the controller shows what the user typed, not the expanded prompt
    case 'approval_request': // the approver opens the prompt
    case 'turn_end':
      return s;
    case 'subagent':
      return onSubagent(s, e);
    case 'sandbox': // its notice, if any, the controller shows once
      return { ...s, sandboxed: e.active };
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
    case 'shell_start':
      return push(s, { kind: 'user', text: `!${a.command}` });
    case 'shell_result': {
      const item = { kind: 'tool' as const, title: 'Shell', summary: a.status, isError: a.failed, detail: outputTail(a.output) };
      return push(s, item, { ...item, output: settleOutput(a.output) });
    }
    case 'transcript':
      return a.open ? { ...s, transcript: { scroll: 0 } } : { ...s, transcript: undefined };
    case 'transcript_scroll': {
      if (!s.transcript) return s;
      const scroll = Math.min(Math.max(0, s.transcript.scroll + a.delta), Math.max(0, a.max));
      return scroll === s.transcript.scroll ? s : { ...s, transcript: { scroll } };
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
      return { ...settleHeld(s, false), exiting: true };
    case 'completions_changed':
      return { ...s, completionsVersion: s.completionsVersion + 1 };
    case 'session_opened':
      return { ...s, sessionId: a.id, lastReasoning: undefined, sandboxed: a.sandboxed };
    case 'mcp_servers':
      if (a.total === 0) return s.mcp ? { ...s, mcp: undefined } : s;
      return s.mcp?.up === a.up && s.mcp.total === a.total ? s : { ...s, mcp: { up: a.up, total: a.total } };
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
  r = finishMessage(settleHeld(r, false));
  r = closeOpenTools(r); // a transcript that ends inside a turn (glm was killed): its open calls never finished
  return { ...r, live: s.live, busy: s.busy, busySince: s.busySince, status: s.status, approval: s.approval, reasoningOnly: false };
}

const AGENT_EVENTS = new Set<string>([
  'session_start', 'user_message', 'turn_start', 'thinking_delta', 'text_delta', 'tool_call_delta', 'assistant_message', 'tool_start',
  'approval_request', 'approval_result', 'tool_output', 'tool_end', 'turn_end', 'retry', 'compaction', 'error', 'done', 'hook_response', 'subagent', 'sandbox',
]);

export function reduce(s: UiState, input: UiInput): UiState {
  return AGENT_EVENTS.has(input.type) ? reduceEvent(s, input as AgentEvent) : reduceAction(s, input as UiAction);
}

/** `$0.0123`, `$1.234`, `$12.34`. */
export function formatCost(usd: number): string {
  return `$${usd >= 10 ? usd.toFixed(2) : usd >= 1 ? usd.toFixed(3) : usd.toFixed(4)}`;
}

/** The vision model that describes images for a text-only main model (vision routing), when one is set. */
export const visionModelOf = (c: Pick<Config, 'modelInfo' | 'visionModel'>): string | undefined => (c.modelInfo.vision ? undefined : c.visionModel);

/** `; images are described by glm-5v-turbo` for /model's lines (nothing when the model sees images itself). */
export const visionNote = (c: Pick<Config, 'modelInfo' | 'visionModel'>): string => {
  const vision = visionModelOf(c);
  if (c.modelInfo.vision) return '; it takes images itself';
  return vision ? `; it is text-only, so images are described by ${vision}` : '; it is text-only and no vision model is set, so images are left out';
};

export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 100_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}
