// The on-disk undo store of one session, in <sessions dir>/<session id>/undo/: an index of undo points (one per
// prompt that changed files) and content-addressed blobs of each file as it was before. Never the user's git
// history or index. Imports only node built-ins, atomic-file.ts and transcript.ts (for the sessions folder).
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../atomic-file.ts';
import { projectSessionsDir } from '../transcript.ts';

/** One file a turn changed: its content hash before the turn (null: it did not exist) and after the session's last write. */
export interface UndoFileRecord {
  path: string;
  before: string | null;
  /** Hash after the session's last write in this turn; null when the write left no file; absent when unknown. */
  after?: string | null;
}

/** One prompt of the session that changed files. `turn` counts the session's prompts from 1. */
export interface UndoPointRecord {
  turn: number;
  prompt: string;
  at: string;
  files: UndoFileRecord[];
}

export interface UndoIndex {
  version: 1;
  points: UndoPointRecord[];
}

/** Where a session keeps its undo store (next to its transcript and spill folder). */
export function undoDir(dataDir: string, projectRoot: string, sessionId: string): string {
  return path.join(projectSessionsDir(dataDir, projectRoot), sessionId, 'undo');
}

export const hashContent = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

export function readIndex(dir: string): UndoIndex {
  try {
    const data = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as UndoIndex;
    if (data && Array.isArray(data.points)) return data;
  } catch {
    // no store yet (or a broken one): nothing to undo
  }
  return { version: 1, points: [] };
}

/** Atomic: a crash mid-write leaves the previous index. */
export function writeIndex(dir: string, index: UndoIndex): void {
  writeFileAtomicSync(path.join(dir, 'index.json'), JSON.stringify(index));
}

/** Saves content once under its hash; returns the hash. */
export function saveBlob(dir: string, content: Buffer): string {
  const hash = hashContent(content);
  const file = path.join(dir, 'blobs', hash);
  if (!existsSync(file)) writeFileAtomicSync(file, content);
  return hash;
}

export function readBlob(dir: string, hash: string): Buffer {
  return readFileSync(path.join(dir, 'blobs', hash));
}

/** The file's content, or null when it does not exist (a folder in its place counts as content that differs). */
export function readOrNull(abs: string): Buffer | null {
  try {
    return readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EISDIR') return Buffer.from('\0directory\0');
    throw err;
  }
}

export function currentHash(abs: string): string | null {
  const content = readOrNull(abs);
  return content === null ? null : hashContent(content);
}
