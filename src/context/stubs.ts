// The first thing to shrink in a long session: tool outputs older than the last few turns become a one-line
// stub naming a file that holds the full text (the truncation spill file, or one written here).
// Imports only types.ts, tokens.ts and node built-ins; never the loop or a front end.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { estimateMessage } from './tokens.ts';
import type { Message } from '../types.ts';

const STUB_PREFIX = '[Old tool output removed to save context';
/** Outputs smaller than this (tokens) are left alone: the stub would save almost nothing. */
const MIN_STUB_TOKENS = 100;
/** truncate.ts tells the model where the full output went; that file is reused rather than written twice. */
const SPILLED = /Full output \(\d+ lines\) saved to (.+?); read parts of it/;

/** Index of the first message of the last `turns` model turns (each starting at an assistant message). */
function recentTurnsStart(history: readonly Message[], turns: number): number {
  let seen = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].role === 'assistant' && ++seen >= turns) return i;
  }
  return 0;
}

export const isStub = (content: string): boolean => content.startsWith(STUB_PREFIX);

/** The file that holds this output in full; written to `spillDir` when no spill file exists yet. */
function fullTextFile(content: string, callId: string, spillDir: string): string | undefined {
  const spilled = SPILLED.exec(content)?.[1];
  if (spilled && existsSync(spilled)) return spilled;
  // Named by content, so an existing file with this name already holds exactly this text.
  const hash = createHash('sha1').update(content).digest('hex').slice(0, 10);
  const file = path.join(spillDir, `tool-${callId.replace(/[^\w.-]/g, '_').slice(0, 60)}-${hash}.txt`);
  try {
    if (!existsSync(file)) {
      mkdirSync(spillDir, { recursive: true });
      writeFileSync(file, content);
    }
    return file;
  } catch {
    return undefined;
  }
}

function stubText(name: string, content: string, file: string): string {
  const lines = content.split('\n').length;
  const kb = (Buffer.byteLength(content) / 1024).toFixed(1);
  return `${STUB_PREFIX}: ${name} returned ${lines} lines (${kb} KB). The full text is in ${file}; Read it if you need it again.]`;
}

/** One replaced output: the tool call id and the stub that took its place. */
export interface Stub {
  id: string;
  stub: string;
}

/**
 * Replaces large tool outputs older than the last `keepTurns` turns with stubs, in place (each changed
 * message is a new object). Returns the stubs, oldest first, for the transcript; empty when nothing changed.
 */
export function stubOldOutputs(history: Message[], keepTurns: number, spillDir: string): Stub[] {
  const stubs: Stub[] = [];
  const end = recentTurnsStart(history, keepTurns);
  for (let i = 0; i < end; i++) {
    const m = history[i];
    if (m.role !== 'tool' || isStub(m.content) || estimateMessage(m) < MIN_STUB_TOKENS) continue;
    const file = fullTextFile(m.content, m.toolCallId, spillDir);
    if (!file) continue;
    const stub = stubText(m.name, m.content, file);
    stubs.push({ id: m.toolCallId, stub });
    history[i] = { ...m, content: stub };
  }
  return stubs;
}

/**
 * Replays stubs recorded in a transcript onto a rebuilt history: each goes to the oldest output with its id
 * that is not a stub yet (some servers reuse ids like `call_0`, and stubbing always goes oldest first).
 */
export function applyStubs(history: Message[], stubs: readonly Stub[]): void {
  for (const { id, stub } of stubs) {
    const i = history.findIndex((m) => m.role === 'tool' && m.toolCallId === id && !isStub(m.content));
    if (i >= 0) history[i] = { ...(history[i] as Extract<Message, { role: 'tool' }>), content: stub };
  }
}
