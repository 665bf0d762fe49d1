// The one place a hook's process starts and ends: `sh -c <command>` in a process group of its own, so a timeout,
// Esc or SIGINT can end the hook and everything it started at once. With sandbox.hooks the session's sandbox
// (src/sandbox/) turns that argv into bwrap's, as for Bash. Imports node built-ins and the tool types only.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Launch } from '../tool.ts';

/**
 * The session sandbox's launch (CommandSandbox.launch): the argv and env that start a process sandboxed; `show`: the
 * transcripts the hook's payload names, readable to it although glm's data folder is hidden.
 */
export type HookLaunch = (argv: string[], cwd: string, env: NodeJS.ProcessEnv, show?: string[]) => Promise<Launch | { refused: string }>;

export interface HookSpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set when hooks run sandboxed (sandbox.hooks); a refusal means the hook does not start. */
  launch?: HookLaunch;
}

/**
 * Starts a hook command with piped stdio as the leader of a new process group (detached), through the sandbox when
 * `launch` is set. Throws when the sandbox refuses (it is required and cannot start).
 */
export async function spawnHook(command: string, o: HookSpawnOptions): Promise<ChildProcess> {
  const argv = ['/bin/sh', '-c', command];
  const launched = o.launch ? await o.launch(argv, o.cwd, o.env) : { argv, env: o.env };
  if ('refused' in launched) throw new Error(`the sandbox refused it: ${launched.refused}`);
  return spawn(launched.argv[0]!, launched.argv.slice(1), { cwd: o.cwd, env: launched.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
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
