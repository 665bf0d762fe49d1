// Going back: lists a session's undo points and restores the files changed since a chosen turn, refusing (per
// file) when a file was changed outside the session since. The API `glm undo` and the REPL's /undo share.
// Imports the undo store and transcript reading; never the loop, tools or a front end.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectSessionsDir, readTranscript } from '../transcript.ts';
import { currentHash, readBlob, readIndex, undoDir, writeIndex, type UndoFileRecord } from './store.ts';

/** Where sessions live: Config has both fields. */
export interface UndoScope {
  dataDir: string;
  projectRoot: string;
}

export interface UndoPoint {
  /** The session's prompt number (1 = its first prompt). */
  turn: number;
  /** First line of that prompt. */
  prompt: string;
  at: string;
  /** Absolute paths the turn changed. */
  files: string[];
}

export interface UndoConflict {
  path: string;
  reason: string;
}

export interface UndoFileResult {
  path: string;
  /** restored: previous content written back; deleted: the session had created it; unchanged: already as before. */
  action: 'restored' | 'deleted' | 'unchanged';
}

/** How `glm undo` and /undo name what happened to a file. */
export const UNDO_VERBS: Record<'restored' | 'deleted' | 'unchanged', string> = { restored: 'restored', deleted: 'deleted (the session created it)', unchanged: 'already as before' };

export type UndoResult =
  | { ok: true; turn: number; files: UndoFileResult[]; shellCommands: string[] }
  | { ok: false; turn: number; conflicts: UndoConflict[] };

export class UndoError extends Error {}

/** The turns that can be undone, oldest first. */
export function listUndoPoints(scope: UndoScope, sessionId: string): UndoPoint[] {
  return readIndex(undoDir(scope.dataDir, scope.projectRoot, sessionId))
    .points.filter((p) => p.files.length > 0)
    .sort((a, b) => a.turn - b.turn)
    .map((p) => ({ turn: p.turn, prompt: p.prompt, at: p.at, files: p.files.map((f) => f.path) }));
}

/**
 * Restores every file changed in `turn` and later to what it was before `turn`, and forgets those points.
 * Refuses, naming each file, when a file was changed outside the session since (unless `force`).
 */
export function undoTo(scope: UndoScope, sessionId: string, turn: number, opts: { force?: boolean } = {}): UndoResult {
  const dir = undoDir(scope.dataDir, scope.projectRoot, sessionId);
  const index = readIndex(dir);
  const points = index.points.filter((p) => p.turn >= turn).sort((a, b) => a.turn - b.turn);
  if (points.length === 0) throw new UndoError(`Nothing to undo from turn ${turn} on in session ${sessionId}.`);
  const byFile = new Map<string, { turn: number; record: UndoFileRecord }[]>();
  for (const p of points) {
    for (const record of p.files) byFile.set(record.path, [...(byFile.get(record.path) ?? []), { turn: p.turn, record }]);
  }
  const conflicts = opts.force ? [] : [...byFile].flatMap(([file, entries]) => outsideChange(file, entries));
  if (conflicts.length > 0) return { ok: false, turn, conflicts };

  const files: UndoFileResult[] = [];
  for (const [file, entries] of byFile) files.push(restore(dir, file, entries[0]!.record.before));
  index.points = index.points.filter((p) => p.turn < turn);
  writeIndex(dir, index);
  dropUnusedBlobs(dir, new Set(index.points.flatMap((p) => p.files.map((f) => f.before ?? ''))));
  return { ok: true, turn, files, shellCommands: shellCommandsSince(scope, sessionId, turn) };
}

/** A file's history must chain: each turn starts from what the session left, and the file is still that now. */
function outsideChange(file: string, entries: { turn: number; record: UndoFileRecord }[]): UndoConflict[] {
  for (let i = 0; i + 1 < entries.length; i++) {
    const { after } = entries[i]!.record;
    if (after !== undefined && after !== entries[i + 1]!.record.before) {
      return [{ path: file, reason: `changed outside the session between turn ${entries[i]!.turn} and turn ${entries[i + 1]!.turn}` }];
    }
  }
  const last = entries.at(-1)!;
  // Unknown after-state (the process died between the write and the end of the tool call): nothing to compare.
  if (last.record.after === undefined) return [];
  if (currentHash(file) !== last.record.after) return [{ path: file, reason: `changed outside the session since turn ${last.turn}` }];
  return [];
}

function restore(dir: string, file: string, before: string | null): UndoFileResult {
  const now = currentHash(file);
  if (now === before) return { path: file, action: 'unchanged' };
  if (before === null) {
    rmSync(file, { force: true });
    return { path: file, action: 'deleted' };
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, readBlob(dir, before));
  return { path: file, action: 'restored' };
}

/** Snapshots no remaining point refers to are only disk space. */
function dropUnusedBlobs(dir: string, used: Set<string>): void {
  try {
    for (const name of readdirSync(path.join(dir, 'blobs'))) if (!used.has(name)) rmSync(path.join(dir, 'blobs', name), { force: true });
  } catch {
    // no blobs folder: nothing to drop
  }
}

/** Bash commands the session ran from `turn` on: their side effects are not undone, and the user should know. */
function shellCommandsSince(scope: UndoScope, sessionId: string, turn: number): string[] {
  const file = path.join(projectSessionsDir(scope.dataDir, scope.projectRoot), `${sessionId}.jsonl`);
  let prompts = 0;
  const commands: string[] = [];
  try {
    for (const event of readTranscript(file)) {
      if (event.type === 'user_message') prompts++;
      if (prompts < turn || event.type !== 'tool_start' || event.name !== 'Bash') continue;
      const command = (event.input as { command?: unknown } | undefined)?.command;
      if (typeof command === 'string') commands.push(command);
    }
  } catch {
    // no transcript: nothing known about shell commands
  }
  return commands;
}
