// Session transcripts: one JSONL file per session, appended event by event as they happen (plus context
// records: stubbed tool outputs, compacted histories), and the history rebuilt from it on resume.
// Imports types and the stub replay; knows nothing of the loop or front ends.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyStubs, type Stub } from './context/stubs.ts';
import type { TodoItem } from './tool.ts';
import { addUsage, emptyUsage, type AgentEvent, type Message, type ToolCall, type Usage } from './types.ts';

/** Deltas are not stored: the assistant_message and tool_end events carry the full text. */
const SKIPPED = new Set<AgentEvent['type']>(['text_delta', 'thinking_delta', 'tool_output']);

export interface TranscriptLine {
  ts: string;
  event: AgentEvent;
}

/**
 * How the history changed besides new messages, so a resumed session sends exactly what it sent before:
 * old tool outputs replaced by stubs, or the whole history replaced by a compacted one.
 */
export type ContextRecord =
  | { kind: 'stub'; stubs: Stub[] }
  /** usage: what the summarising request cost, counted in a resumed session's totals. */
  | { kind: 'compact'; history: Message[]; usage?: Usage };

export interface ContextLine {
  ts: string;
  context: ContextRecord;
}

export type TranscriptEntry = TranscriptLine | ContextLine;

/** One folder per project, named after its path like Claude Code does (`/a/b` → `-a-b`). */
export function projectSessionsDir(dataDir: string, projectRoot: string): string {
  return path.join(dataDir, 'sessions', projectRoot.replace(/[^A-Za-z0-9._-]/g, '-'));
}

export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

/**
 * A session's transcript file. A new session's lines are held in memory until the model first answers (or the
 * user interrupts): a run that never got an answer (endpoint refused, bad key) leaves no session behind.
 */
export class Transcript {
  /** Lines not written yet, while the session has no answer; undefined once the file is being written. */
  private held: string[] | undefined;

  constructor(
    readonly file: string,
    opts: { holdUntilAnswered?: boolean } = {},
  ) {
    this.held = opts.holdUntilAnswered ? [] : undefined;
  }

  /** Synchronous append: a crash right after an event still has it on disk. */
  append(event: AgentEvent): void {
    if (SKIPPED.has(event.type)) return;
    const line: TranscriptLine = { ts: new Date().toISOString(), event };
    this.write(JSON.stringify(line) + '\n');
    if (event.type === 'assistant_message' || (event.type === 'done' && event.reason === 'aborted')) this.keep();
  }

  /** Written before the `compaction` event it explains. */
  record(context: ContextRecord): void {
    const line: ContextLine = { ts: new Date().toISOString(), context };
    this.write(JSON.stringify(line) + '\n');
  }

  private write(text: string): void {
    if (this.held) this.held.push(text);
    else this.appendToFile(text);
  }

  /** Writes what was held and everything after it. */
  private keep(): void {
    if (!this.held) return;
    const held = this.held.join('');
    this.held = undefined;
    this.appendToFile(held);
  }

  private appendToFile(text: string): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, text);
  }
}

/** Every line, events and context records, in order. */
export function readTranscriptEntries(file: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as Partial<TranscriptLine & ContextLine>;
      if (entry.event || entry.context) entries.push(entry as TranscriptEntry);
    } catch {
      // A line cut short by a crash: everything before it is still good.
    }
  }
  return entries;
}

/** The events only (context records left out). */
export function readTranscript(file: string): AgentEvent[] {
  return eventsOf(readTranscriptEntries(file));
}

const eventsOf = (entries: TranscriptEntry[]): AgentEvent[] => entries.flatMap((e) => ('event' in e ? [e.event] : []));

/** What a resumed session starts from. */
export interface RestoredSession {
  history: Message[];
  /** Every prompt the user typed, oldest first, including those a compaction summarised. */
  prompts: string[];
  /** The todo list as the last successful TodoWrite left it. */
  todos: TodoItem[];
  /** Tokens of the earlier turns; a cost only when every turn had one (a partial sum would mislead). */
  usage: Usage;
  /** Every event of the earlier runs, for a front end to show again. */
  events: AgentEvent[];
}

export function restoreSession(file: string): RestoredSession {
  const entries = readTranscriptEntries(file);
  const events = eventsOf(entries);
  return {
    history: historyFromEvents(entries),
    prompts: events.flatMap((e) => (e.type === 'user_message' && !e.synthetic ? [e.text] : [])),
    todos: todosFromEvents(events),
    usage: usageFrom(entries),
    events,
  };
}

/** Every turn's usage and every summarising request's, as Session.usage counted them while the session ran. */
function usageFrom(entries: TranscriptEntry[]): Usage {
  const spent = entries.flatMap((e) => {
    // A subagent's turns count too (they arrive wrapped), as Session.usage counted them.
    const event = 'event' in e ? (e.event.type === 'subagent' ? e.event.event : e.event) : undefined;
    const usage = event ? (event.type === 'turn_end' ? event.usage : undefined) : 'context' in e && e.context.kind === 'compact' ? e.context.usage : undefined;
    return usage ? [usage] : [];
  });
  const total = spent.reduce(addUsage, emptyUsage());
  if (spent.some((u) => u.cost === undefined)) delete total.cost;
  return total;
}

function todosFromEvents(events: AgentEvent[]): TodoItem[] {
  const inputs = new Map<string, unknown>();
  let todos: TodoItem[] = [];
  for (const e of events) {
    if (e.type === 'tool_start' && e.name === 'TodoWrite') inputs.set(e.callId, e.input);
    if (e.type !== 'tool_end' || e.isError || !inputs.has(e.callId)) continue;
    const list = (inputs.get(e.callId) as { todos?: unknown } | undefined)?.todos;
    if (Array.isArray(list)) todos = list.filter((t): t is TodoItem => typeof t?.content === 'string' && typeof t?.status === 'string');
  }
  return todos;
}

/**
 * The conversation as the model saw it, reasoning included; unanswered calls get "interrupted" results.
 * Takes events, or transcript entries whose context records replay stubs and compactions.
 */
export function historyFromEvents(items: readonly (AgentEvent | TranscriptEntry)[]): Message[] {
  const history: Message[] = [];
  let open: ToolCall[] = [];
  const closeOpen = () => {
    for (const call of open) history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: 'Interrupted: the session ended before this tool call finished.' });
    open = [];
  };
  for (const item of items) {
    if ('context' in item) {
      closeOpen();
      if (item.context.kind === 'compact') history.splice(0, history.length, ...structuredClone(item.context.history));
      else applyStubs(history, item.context.stubs);
      continue;
    }
    const event = 'event' in item ? item.event : item;
    if (event.type === 'user_message') {
      closeOpen();
      history.push({ role: 'user', content: event.text });
    } else if (event.type === 'assistant_message') {
      closeOpen();
      history.push(event.message);
      open = [...(event.message.toolCalls ?? [])];
    } else if (event.type === 'tool_end') {
      history.push({ role: 'tool', toolCallId: event.callId, name: event.name, content: event.output });
      open = open.filter((c) => c.id !== event.callId);
    } else if (event.type === 'done' && event.reason === 'aborted') {
      closeOpen();
    }
  }
  closeOpen();
  return history;
}

export interface SessionSummary {
  id: string;
  file: string;
  updatedAt: string;
  /** ISO time of the first line (when the session started). */
  startedAt: string;
  firstPrompt: string;
  /** Model requests (loop turns). */
  turns: number;
  /** Prompts the user typed. */
  prompts: number;
  /** Tokens used over the whole session, prompt + completion, as the server counted them. */
  tokens: number;
  compactions: number;
  model?: string;
}

/** One session's summary from its transcript (or from its entries, when the caller has read them). */
export function summarizeSession(file: string, entries = readTranscriptEntries(file)): SessionSummary {
  const events = eventsOf(entries);
  const first = events.find((e) => e.type === 'user_message');
  const start = events.find((e) => e.type === 'session_start');
  let tokens = 0;
  for (const e of events) if (e.type === 'turn_end' && e.usage) tokens += e.usage.inputTokens + e.usage.outputTokens;
  const updatedAt = statSync(file).mtime.toISOString();
  return {
    id: path.basename(file, '.jsonl'),
    file,
    updatedAt,
    startedAt: entries[0]?.ts ?? updatedAt,
    firstPrompt: first?.type === 'user_message' ? first.text.split('\n')[0].slice(0, 80) : '',
    turns: events.filter((e) => e.type === 'turn_start').length,
    prompts: events.filter((e) => e.type === 'user_message' && !e.synthetic).length,
    tokens,
    compactions: events.filter((e) => e.type === 'compaction').length,
    model: start?.type === 'session_start' ? start.model : undefined,
  };
}

/** This project's sessions, newest first. */
export function listSessions(dir: string): SessionSummary[] {
  return sessionIdsByAge(dir).map((id) => summarizeSession(path.join(dir, `${id}.jsonl`)));
}

/** The session ids of a project, newest first by modification time (cheap: no transcript is parsed). */
export function sessionIdsByAge(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .map((n) => ({ id: n.slice(0, -'.jsonl'.length), t: statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t)
      .map((s) => s.id);
  } catch {
    return [];
  }
}

/**
 * The newest session in which the model answered at least once (what --continue resumes). Sessions from before
 * transcripts were held until an answer may have none; they are skipped.
 */
export function latestAnsweredSessionId(dir: string): string | undefined {
  return sessionIdsByAge(dir).find((id) => hasAnswer(path.join(dir, `${id}.jsonl`)));
}

function hasAnswer(file: string): boolean {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .some((line) => line.includes('"assistant_message"') && readEvent(line)?.type === 'assistant_message');
  } catch {
    return false;
  }
}

function readEvent(line: string): AgentEvent | undefined {
  try {
    return (JSON.parse(line) as Partial<TranscriptLine>).event;
  } catch {
    return undefined;
  }
}
