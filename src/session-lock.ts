// One process per session: an exclusive lock file beside the transcript (`<id>.lock`, holding the pid) taken when
// a session opens and removed when it closes or the process ends. A lock whose process is gone (kill -9) is taken over.
// Imports node built-ins only.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface SessionLock {
  /** Removes the lock file (also done when the process exits). */
  release(): void;
}

/** The pid holding `file`, when that process still runs (this process re-opening its own session does not count). */
function holder(file: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * Takes the lock on the session whose transcript is `transcript`. Returns the pid of the other process when it
 * holds it; a lock that cannot be written at all (read-only data folder) is no lock, and the run goes on.
 */
export function lockSession(transcript: string): SessionLock | { heldBy: number } {
  const file = transcript.replace(/\.jsonl$/, '') + '.lock';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const fd = openSync(file, 'wx');
      const token = `${process.pid} ${randomBytes(6).toString('hex')}`;
      writeSync(fd, token);
      closeSync(fd);
      return held(file, token);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return { release: () => {} };
      const pid = holder(file);
      if (pid !== undefined) return { heldBy: pid };
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  return { release: () => {} };
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
