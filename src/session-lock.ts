// One process per session: an exclusive lock file beside the transcript (`<id>.lock`, holding the pid) taken when
// a session opens and removed when it closes or the process ends. A lock whose process is gone (kill -9) is taken
// over, one process at a time (`<id>.lock.takeover`), so two processes finding the same stale lock cannot both win.
// Imports node built-ins only.
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface SessionLock {
  /** Removes the lock file (also done when the process exits). */
  release(): void;
}

/** Tries before giving up on a lock that keeps changing hands (each waits a little). */
const ATTEMPTS = 100;
const WAIT_MS = 10;
/** A lock file without a pid yet is being written when younger than this. */
const WRITING_MS = 2000;
/** A takeover guard older than this was left by a process that died taking over. */
const GUARD_STALE_MS = 5000;

const noLock: SessionLock = { release: () => {} };

/**
 * Takes the lock on the session whose transcript is `transcript`. Returns the pid of the other process when it
 * holds it; a lock that cannot be written at all (read-only data folder) is no lock, and the run goes on.
 */
export function lockSession(transcript: string): SessionLock | { heldBy: number } {
  const file = transcript.replace(/\.jsonl$/, '') + '.lock';
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch {
    return noLock;
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const token = `${process.pid} ${randomBytes(6).toString('hex')}`;
    const made = create(file, token);
    if (made === 'created') return held(file, token);
    if (made === 'unwritable') return noLock;
    const current = read(file);
    if (current === undefined) continue; // released meanwhile: try again
    const pid = holder(current);
    if (pid !== undefined) return { heldBy: pid };
    if (current.trim() === '' && young(file, WRITING_MS)) sleep(WAIT_MS); // another process is writing its pid
    else if (!takeOver(file, current)) sleep(WAIT_MS);
  }
  return noLock;
}

/**
 * Creates the lock holding `token` in one step: written to a file of its own, then hard-linked into place (the
 * link fails when a lock exists), so no other process ever reads a lock without its pid.
 */
function create(file: string, token: string): 'created' | 'exists' | 'unwritable' {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, token, { flag: 'wx' });
  } catch {
    return 'unwritable';
  }
  try {
    linkSync(temp, file);
    return 'created';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    return createExclusive(file, token); // a filesystem without hard links
  } finally {
    rmSync(temp, { force: true });
  }
}

function createExclusive(file: string, token: string): 'created' | 'exists' | 'unwritable' {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, token);
    closeSync(fd);
    return 'created';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'exists' : 'unwritable';
  }
}

/**
 * Removes the stale lock `stale` (its content, a pid and a random token) while holding the takeover guard, after
 * checking the lock is still that one: another process may have taken it over and locked it since it was read.
 * False when another process is taking over.
 */
function takeOver(file: string, stale: string): boolean {
  const guard = `${file}.takeover`;
  try {
    closeSync(openSync(guard, 'wx'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !young(guard, GUARD_STALE_MS)) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (read(file) === stale) rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether `file` was modified less than `ms` ago (a file that is gone is not). */
function young(file: string, ms: number): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < ms;
  } catch {
    return false;
  }
}

/** The pid in a lock's content, when that process still runs (this process re-opening its own session does not count). */
function holder(content: string): number | undefined {
  const pid = Number.parseInt(content, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function held(file: string, token: string): SessionLock {
  const release = (): void => {
    process.off('exit', release);
    try {
      if (readFileSync(file, 'utf8') === token) rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return { release };
}
