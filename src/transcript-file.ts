// The file side of transcripts: reads a JSONL file line by line without holding it whole, drops a last line a
// crash cut short before anything is appended, and words a failed write for the user. Imports node built-ins only.
import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

/**
 * Calls `fn` with each line of `file` (without its newline, the last one even when unterminated), reading 1 MB at a
 * time: memory holds one line, not the file. Stops when `fn` returns false. Throws when the file cannot be read.
 */
export function forEachLine(file: string, fn: (line: string) => boolean | void): void {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let parts: Buffer[] = [];
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = buffer.indexOf(10, start); nl >= 0 && nl < n; nl = buffer.indexOf(10, start)) {
        parts.push(buffer.subarray(start, nl));
        const line = Buffer.concat(parts).toString('utf8');
        parts = [];
        start = nl + 1;
        if (fn(line) === false) return;
      }
      if (start < n) parts.push(Buffer.from(buffer.subarray(start, n)));
    }
    if (parts.length) fn(Buffer.concat(parts).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * A transcript whose last line has no newline was cut short (a crash, a full disk): drops that line, so what is
 * appended next starts on a line of its own. Returns whether a line was dropped; a missing file is fine.
 */
export function dropPartialLastLine(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, size));
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - buffer.length);
      const n = readSync(fd, buffer, 0, end - start, start);
      const nl = buffer.subarray(0, n).lastIndexOf(10);
      if (end === size && nl === n - 1) return false;
      if (nl >= 0) {
        ftruncateSync(fd, start + nl + 1);
        return true;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}

const CAUSES: Record<string, string> = {
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a file is in the way of a folder',
  EEXIST: 'a file is in the way of a folder',
};

/** One line for a write into the data folder that failed: which folder, why, and what it means. */
export function writeFailure(folder: string, err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const cause = (code && CAUSES[code]) ?? (err instanceof Error ? err.message : String(err));
  return `cannot write to ${folder}: ${cause}${code ? ` (${code})` : ''}; ${what}`;
}
