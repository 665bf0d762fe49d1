// Going back in a session's conversation (/rewind, `glm undo --conversation`): the user's prompts still in the
// history with when each was sent, the undo turn that restores the code to before one of them, and the history
// a transcript records when its conversation is cut. Imports the transcript and undo API; no loop or front end.
import { appendFileSync } from 'node:fs';
import { historyFromEvents, readTranscriptEntries, type ContextLine } from '../transcript.ts';
import type { Message } from '../types.ts';
import { listUndoPoints, type UndoScope } from './undo.ts';

export interface RewindPoint {
  /** Where the prompt's user message sits in the history: the conversation is cut here. */
  index: number;
  /** The prompt as the session sent it. */
  prompt: string;
  /** When it was sent (ISO), when the transcript knows. */
  at?: string;
}

/** When each typed (not synthetic) prompt of a transcript was sent, oldest first; empty when there is no file yet. */
export function promptTimes(transcriptFile: string): string[] {
  try {
    return readTranscriptEntries(transcriptFile).flatMap((e) => ('event' in e && e.event.type === 'user_message' && !e.event.synthetic ? [e.ts] : []));
  } catch {
    return [];
  }
}

/**
 * The typed prompts still in `history`, oldest first. Matched from the end against `prompts` (every prompt the
 * session sent, oldest first, rewound ones too), so a prompt sent again after a rewind gets its own time.
 */
export function rewindPoints(history: readonly Message[], prompts: readonly string[], times: readonly string[]): RewindPoint[] {
  const points: RewindPoint[] = [];
  let p = prompts.length;
  for (let i = history.length - 1; i >= 0 && p > 0; i--) {
    const m = history[i]!;
    if (m.role !== 'user') continue;
    const j = prompts.lastIndexOf(m.content, p - 1);
    if (j < 0) continue;
    p = j;
    points.unshift({ index: i, prompt: m.content, at: times.length === prompts.length ? times[j] : undefined });
  }
  return points;
}

/** The first undo turn at or after `at`: undoing to it restores the files to before that prompt. */
export function undoTurnSince(scope: UndoScope, sessionId: string, at: string | undefined): number | undefined {
  const points = listUndoPoints(scope, sessionId);
  return (at ? points.find((p) => p.at >= at) : points[0])?.turn;
}

/** The prompt a user typed, from what the session sent: without @file attachments and `!command` output. */
export function typedPrompt(sent: string): string {
  let text = sent;
  if (text.startsWith('The user ran these shell commands themselves')) {
    const end = text.lastIndexOf('</bash-output>\n\n');
    if (end >= 0) text = text.slice(end + '</bash-output>\n\n'.length);
  }
  const attached = text.search(/\n\n<(?:(?:file|folder) path|mcp-resource server)="/);
  return (attached >= 0 ? text.slice(0, attached) : text).trimEnd();
}

/**
 * `glm undo --conversation`: the conversation of a transcript cut before its `turn`-th prompt (counted like undo
 * turns: every user message), recorded at its end so `--continue` sends the shorter history. False when it has
 * fewer prompts.
 */
export function rewindTranscript(transcriptFile: string, turn: number): boolean {
  const entries = readTranscriptEntries(transcriptFile);
  let prompts = 0;
  const cut = entries.findIndex((e) => 'event' in e && e.event.type === 'user_message' && ++prompts === turn);
  if (cut < 0) return false;
  const line: ContextLine = { ts: new Date().toISOString(), context: { kind: 'rewind', history: historyFromEvents(entries.slice(0, cut)) } };
  appendFileSync(transcriptFile, JSON.stringify(line) + '\n');
  return true;
}
