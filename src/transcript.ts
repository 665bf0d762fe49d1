// Session transcripts: one JSONL file per session, appended event by event as they happen, and the
// history rebuilt from it on resume. Imports only types; knows nothing of the loop or front ends.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentEvent, Message, ToolCall } from './types.ts';

/** Deltas are not stored: the assistant_message and tool_end events carry the full text. */
const SKIPPED = new Set<AgentEvent['type']>(['text_delta', 'thinking_delta', 'tool_output']);

export interface TranscriptLine {
  ts: string;
  event: AgentEvent;
}

/** One folder per project, named after its path like Claude Code does (`/a/b` → `-a-b`). */
export function projectSessionsDir(dataDir: string, projectRoot: string): string {
  return path.join(dataDir, 'sessions', projectRoot.replace(/[^A-Za-z0-9._-]/g, '-'));
}

export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

export class Transcript {
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  /** Synchronous append: a crash right after an event still has it on disk. */
  append(event: AgentEvent): void {
    if (SKIPPED.has(event.type)) return;
    const line: TranscriptLine = { ts: new Date().toISOString(), event };
    appendFileSync(this.file, JSON.stringify(line) + '\n');
  }
}

export function readTranscript(file: string): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push((JSON.parse(line) as TranscriptLine).event);
    } catch {
      // A line cut short by a crash: everything before it is still good.
    }
  }
  return events;
}

/** The conversation as the model saw it, reasoning included; unanswered calls get "interrupted" results. */
export function historyFromEvents(events: AgentEvent[]): Message[] {
  const history: Message[] = [];
  let open: ToolCall[] = [];
  const closeOpen = () => {
    for (const call of open) history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: 'Interrupted: the session ended before this tool call finished.' });
    open = [];
  };
  for (const event of events) {
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
  firstPrompt: string;
  turns: number;
}

/** This project's sessions, newest first. */
export function listSessions(dir: string): SessionSummary[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names
    .map((name) => {
      const file = path.join(dir, name);
      const events = readTranscript(file);
      const first = events.find((e) => e.type === 'user_message');
      return {
        id: name.slice(0, -'.jsonl'.length),
        file,
        updatedAt: statSync(file).mtime.toISOString(),
        firstPrompt: first?.type === 'user_message' ? first.text.split('\n')[0].slice(0, 80) : '',
        turns: events.filter((e) => e.type === 'turn_start').length,
      };
    })
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** The newest session file of a project, by modification time (cheap: no transcript is parsed). */
export function latestSessionId(dir: string): string | undefined {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .map((n) => ({ n, t: statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t)[0]
      ?.n.slice(0, -'.jsonl'.length);
  } catch {
    return undefined;
  }
}
