// The one place a hook's process starts and ends: `sh -c <command>` in a process group of its own, so a timeout,
// Esc or SIGINT can end the hook and everything it started at once. A sandbox (src/sandbox/) wraps this function
// to run hooks inside it. Imports node built-ins only.
import { spawn, type ChildProcess } from 'node:child_process';

export interface HookSpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Starts a hook command with piped stdio as the leader of a new process group (detached). */
export function spawnHook(command: string, o: HookSpawnOptions): ChildProcess {
  return spawn('/bin/sh', ['-c', command], { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
}

/** SIGKILLs the hook's whole process group (the hook and whatever it started that stayed in its group). */
export function killHookTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
