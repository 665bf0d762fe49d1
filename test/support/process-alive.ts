// Whether a process still runs, for tests that check a killed process tree is gone.
import { readFileSync } from 'node:fs';

/** Whether a process runs (a zombie nobody reaped yet, in a container without init, does not). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}
