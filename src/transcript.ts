// Session transcripts: one JSONL file per session, appended event by event as they happen (plus context
// records: stubbed tool outputs, compacted histories), and the history rebuilt from it on resume.
// Imports types and the stub replay; knows nothing of the loop or front ends.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { applyStubs, type Stub } from './context/stubs.ts';
import { dropPartialLastLine, forEachLine, writeFailure } from './transcript-file.ts';
import { eventForTranscript, historyForTranscript, historyFromTranscript, loadImages, storeDescriptions } from './transcript-images.ts';
import type { TodoItem } from './tool.ts';
import { addUsage, emptyUsage, type AgentEvent, type Message, type ToolCall, type Usage } from './types.ts';
import { servedBy } from './usage-by-model.ts';

/** Deltas are not stored: the assistant_message and tool_end events carry the full text. */
const SKIPPED = new Set<AgentEvent['type']>(['text_delta', 'thinking_delta', 'tool_call_delta', 'tool_output', 'sandbox']);

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
  | { kind: 'compact'; history: Message[]; usage?: Usage }
  /** The system prompt the requests send from here on (a resumed session sends it again, for the prompt cache). */
  | { kind: 'system'; system: string }
  /** The user rewound the conversation (/rewind): the history from here on is this one. */
  | { kind: 'rewind'; history: Message[] };

export interface ContextLine {
  ts: string;
  context: ContextRecord;
}

export type TranscriptEntry = TranscriptLine | ContextLine;

/** One folder per project, named after its path like Claude Code does (`/a/b` → `-a-b`). */
export function projectSessionsDir(dataDir: string, projectRoot: string): string {
  return path.join(dataDir, 'sessions', projectRoot.replace(/[^A-Za-z0-9._-]/g, '-'));
}

/** A new session's id: a UUID, as Claude Code's (`--session-id` takes one). Older time-stamped ids stay resumable. */
export function newSessionId(): string {
  return randomUUID();
}

/**
 * A session's transcript file. A new session's lines are held in memory until the model first answers (or the
 * user interrupts): a run that never got an answer (endpoint refused, bad key) leaves no session behind.
 */
export class Transcript {
  /** Lines not written yet, while the session has no answer; undefined once the file is being written. */
  private held: string[] | undefined;
  /** The file was checked for a line a crash cut short (once, before the first append). */
  private checked = false;
  /** A write failed (read-only or full disk): nothing more is written, and the user was told once. */
  private failed = false;

  constructor(
    readonly file: string,
    private readonly opts: { holdUntilAnswered?: boolean; onFailure?: (line: string) => void } = {},
  ) {
    this.held = opts.holdUntilAnswered ? [] : undefined;
  }

  /** Synchronous append: a crash right after an event still has it on disk. */
  append(event: AgentEvent): void {
    if (SKIPPED.has(event.type)) return;
    const line: TranscriptLine = { ts: new Date().toISOString(), event: eventForTranscript(sessionFolder(this.file), stored(event)) };
    this.write(JSON.stringify(line) + '\n');
    if (event.type === 'assistant_message' || (event.type === 'done' && event.reason === 'aborted')) this.keep();
  }

  /** The descriptions vision routing made of the history's images, beside their files (resume and compaction reuse them). */
  keepDescriptions(history: readonly Message[]): void {
    if (this.failed) return;
    try {
      storeDescriptions(sessionFolder(this.file), history);
    } catch {
      // a description not kept is asked for again on resume; the session goes on
    }
  }

  /** Written before the `compaction` event it explains. */
  record(context: ContextRecord): void {
    const kept: ContextRecord = context.kind === 'compact' ? { ...context, history: historyForTranscript(sessionFolder(this.file), context.history) } : context;
    const line: ContextLine = { ts: new Date().toISOString(), context: kept };
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
    if (this.failed) return;
    try {
      if (!this.checked) {
        this.checked = true;
        dropPartialLastLine(this.file);
      }
      mkdirSync(path.dirname(this.file), { recursive: true });
      appendFileSync(this.file, text);
    } catch (err) {
      this.failed = true;
      this.opts.onFailure?.(writeFailure(path.dirname(this.file), err, 'this session is not saved from here on'));
    }
  }
}

/**
 * What the transcript keeps of an event: resume rebuilds the history from messages and outputs, and shows earlier
 * tool calls by their summary, so an edit's display diff (21 MB for a one-line Edit of a 10 MB file) is left out.
 */
function stored(event: AgentEvent): AgentEvent {
  if (event.type !== 'tool_end' || event.display?.diff === undefined) return event;
  return { ...event, display: { summary: event.display.summary } };
}

/** A session's own folder (spill files, undo data, images) beside its transcript `<id>.jsonl`. */
export const sessionFolder = (transcriptFile: string): string => transcriptFile.replace(/\.jsonl$/, '');

/** Every line, events and context records, in order; images read back from the session's folder. */
export function readTranscriptEntries(file: string): TranscriptEntry[] {
  return readTranscriptLines(file).map((entry) => withImages(sessionFolder(file), entry));
}

function withImages(folder: string, entry: TranscriptEntry): TranscriptEntry {
  if ('context' in entry) return entry.context.kind === 'compact' ? { ...entry, context: { ...entry.context, history: historyFromTranscript(folder, entry.context.history) } } : entry;
  const e = entry.event;
  return e.type === 'user_message' && e.images?.length ? { ...entry, event: { ...e, images: loadImages(folder, e.images) } } : entry;
}

function readTranscriptLines(file: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  forEachEntry(file, (entry) => void entries.push(entry));
  return entries;
}

/** Each entry in turn, one line in memory at a time. */
export function forEachEntry(file: string, fn: (entry: TranscriptEntry) => void): void {
  forEachLine(file, (line) => {
    if (!line.trim()) return;
    try {
      const entry = JSON.parse(line) as Partial<TranscriptLine & ContextLine>;
      if (entry.event || entry.context) fn(entry as TranscriptEntry);
    } catch {
      // A line cut short by a crash: everything before it is still good.
    }
  });
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
  /** What was wrong with the transcript and was repaired on load (one line, or none). */
  repaired?: string;
  /** The system prompt the session sent last, when the transcript recorded it. */
  system?: string;
}

/**
 * Rebuilds a session from its transcript, one line in memory at a time: the events themselves are not kept (a
 * front end that shows them reads them again with readTranscript).
 */
export function restoreSession(file: string): RestoredSession {
  const history = new HistoryBuilder();
  const prompts: string[] = [];
  const todos = new TodoTracker();
  const spent: Usage[] = [];
  let system: string | undefined;
  const folder = sessionFolder(file);
  forEachEntry(file, (line) => {
    const entry = withImages(folder, line);
    history.add(entry);
    if ('context' in entry) {
      if (entry.context.kind === 'system') system = entry.context.system;
      if (entry.context.kind === 'compact' && entry.context.usage) spent.push(entry.context.usage);
      return;
    }
    const e = entry.event;
    if (e.type === 'user_message' && !e.synthetic) prompts.push(e.text);
    if (e.type === 'turn_end' && e.usage) spent.push(e.usage);
    if (e.type === 'hook_response' && e.usage) spent.push(e.usage); // a prompt hook's request
    // A subagent's turns and summarising requests count too (they arrive wrapped), as Session.usage counted them.
    const sub = e.type === 'subagent' ? subagentSpent(e.event) : undefined;
    if (sub) spent.push(subagentUsage(e.type === 'subagent' ? e.model : undefined, sub));
    todos.add(e);
  });
  const usage = spent.reduce(addUsage, emptyUsage());
  if (spent.some((u) => u.cost === undefined)) delete usage.cost;
  const repaired = history.repairs();
  return { history: history.finish(), prompts, todos: todos.todos, usage, ...(repaired && { repaired }), ...(system !== undefined && { system }) };
}

/** The tokens a subagent's event reports spending: a turn's request, or a compaction's summarising request. */
export function subagentSpent(e: AgentEvent): Usage | undefined {
  return e.type === 'turn_end' || e.type === 'compaction' ? e.usage : undefined;
}

/** A subagent's `spent`, marked as its own model's when it ran on one (modelUsage splits by it). */
export function subagentUsage(model: string | undefined, spent: Usage): Usage {
  return model ? servedBy(model, spent) : spent;
}

class TodoTracker {
  private inputs = new Map<string, unknown>();
  todos: TodoItem[] = [];
  add(e: AgentEvent): void {
    if (e.type === 'tool_start' && e.name === 'TodoWrite') this.inputs.set(e.callId, e.input);
    if (e.type !== 'tool_end' || e.isError || !this.inputs.has(e.callId)) return;
    const list = (this.inputs.get(e.callId) as { todos?: unknown } | undefined)?.todos;
    if (Array.isArray(list)) this.todos = list.filter((t): t is TodoItem => typeof t?.content === 'string' && typeof t?.status === 'string');
  }
}

const INTERRUPTED = 'Interrupted: the session ended before this tool call finished.';

/**
 * The conversation as the model saw it, built event by event. It stays valid whatever the transcript holds: every
 * tool call is answered once, in order (unanswered calls get "interrupted"; a result for no open call, as two
 * processes writing one transcript leave, is dropped and counted).
 */
class HistoryBuilder {
  private readonly history: Message[] = [];
  private open: ToolCall[] = [];
  private dropped = 0;

  add(item: AgentEvent | TranscriptEntry): void {
    if ('context' in item) {
      if (item.context.kind === 'system') return;
      this.closeOpen();
      if (item.context.kind === 'compact' || item.context.kind === 'rewind') this.history.splice(0, this.history.length, ...structuredClone(item.context.history));
      else applyStubs(this.history, item.context.stubs);
      return;
    }
    const event = 'event' in item ? item.event : item;
    if (event.type === 'user_message') {
      this.closeOpen();
      this.history.push(event.images?.length ? { role: 'user', content: event.text, images: event.images } : { role: 'user', content: event.text });
    } else if (event.type === 'assistant_message') {
      this.closeOpen();
      this.history.push(event.message);
      this.open = [...(event.message.toolCalls ?? [])];
    } else if (event.type === 'tool_end') {
      const at = this.open.findIndex((c) => c.id === event.callId);
      if (at < 0) return void this.dropped++;
      // Calls before this one that never ended were interrupted: answered first, so results stay in call order.
      for (const call of this.open.slice(0, at)) this.answer(call, INTERRUPTED);
      this.answer(this.open[at]!, event.output);
      this.open = this.open.slice(at + 1);
    } else if (event.type === 'done' && event.reason === 'aborted') {
      this.closeOpen();
    }
  }

  private answer(call: ToolCall, content: string): void {
    this.history.push({ role: 'tool', toolCallId: call.id, name: call.name, content });
  }

  private closeOpen(): void {
    for (const call of this.open) this.answer(call, INTERRUPTED);
    this.open = [];
  }

  /** A notice when the transcript needed repair. */
  repairs(): string | undefined {
    if (this.dropped === 0) return undefined;
    const n = this.dropped === 1 ? 'a tool result that answered no open call was' : `${this.dropped} tool results that answered no open call were`;
    return `this session's transcript was inconsistent (two glm processes wrote it at once?): ${n} left out of the conversation`;
  }

  finish(): Message[] {
    this.closeOpen();
    return this.history;
  }
}

/**
 * The conversation as the model saw it, reasoning included; unanswered calls get "interrupted" results.
 * Takes events, or transcript entries whose context records replay stubs and compactions.
 */
export function historyFromEvents(items: readonly (AgentEvent | TranscriptEntry)[]): Message[] {
  const builder = new HistoryBuilder();
  for (const item of items) builder.add(item);
  return builder.finish();
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
 * The session `wanted` names in `dir`: its exact id, or the one id it is a unique prefix of (`glm sessions` lists
 * full ids; people copy the start). A name with a path in it is never an id: it must not reach a file elsewhere.
 */
export function resolveSessionId(dir: string, wanted: string): { id: string } | { error: string } {
  const missing = { error: `no session "${wanted}" in this project; \`glm sessions\` lists them` };
  if (wanted === '' || /[\\/]/.test(wanted) || wanted.startsWith('.')) return missing;
  const ids = sessionIdsByAge(dir);
  if (ids.includes(wanted)) return { id: wanted };
  const matches = ids.filter((id) => id.startsWith(wanted));
  if (matches.length === 1) return { id: matches[0]! };
  if (matches.length > 1) return { error: `"${wanted}" matches ${matches.length} sessions (${matches.slice(0, 3).join(', ')}…); give more of the id` };
  return missing;
}

/**
 * The newest session in which the model answered at least once (what --continue resumes). Sessions from before
 * transcripts were held until an answer may have none; they are skipped.
 */
export function latestAnsweredSessionId(dir: string): string | undefined {
  return sessionIdsByAge(dir).find((id) => hasAnswer(path.join(dir, `${id}.jsonl`)));
}

function hasAnswer(file: string): boolean {
  let found = false;
  try {
    forEachLine(file, (line) => !(found = line.includes('"assistant_message"') && readEvent(line)?.type === 'assistant_message'));
  } catch {
    return false;
  }
  return found;
}

function readEvent(line: string): AgentEvent | undefined {
  try {
    return (JSON.parse(line) as Partial<TranscriptLine>).event;
  } catch {
    return undefined;
  }
}
