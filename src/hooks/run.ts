// Runs one hook command: the JSON payload on stdin, stdout and stderr collected (capped), ended with its whole
// process group on timeout or abort, after which nothing waits on its pipes. Never throws: a hook that cannot
// start is a run with an error. Imports spawn.ts, types and node built-ins only.
import type { ChildProcess } from 'node:child_process';
import type { Usage } from '../types.ts';
import { killHookTree, spawnHook, type HookSpawnOptions } from './spawn.ts';

/** What a hook printed beyond this is dropped (per stream). */
const MAX_OUTPUT = 256 * 1024;
/** After the hook exits, how long its pipes may stay open (a background process it started holds them). */
const PIPE_GRACE_MS = 250;

export interface RawRun {
  /** null: it did not exit by itself (timeout, abort, failed to start). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  /** It could not be started (spawn failed). */
  startError?: string;
  /** An http hook's failure (a status that is not 2xx, a connection that failed). */
  failure?: string;
  durationMs: number;
  /** A prompt hook's request: its tokens, marked with the model that served them when not the session's own. */
  usage?: Usage;
}

export interface RunOptions extends HookSpawnOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

export function runHookProcess(command: string, input: string, o: RunOptions): Promise<RawRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const out = { stdout: '', stderr: '' };
    let settled = false;
    let timedOut = false;
    let child: ChildProcess | undefined;
    const finish = (exitCode: number | null, startError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      o.signal.removeEventListener('abort', onAbort);
      // Never wait on the pipes again: a grandchild may hold them open forever.
      child?.stdout?.destroy();
      child?.stderr?.destroy();
      child?.stdin?.destroy();
      resolve({ exitCode, ...out, timedOut, aborted: o.signal.aborted && !timedOut, ...(startError && { startError }), durationMs: Date.now() - started });
    };
    const end = () => {
      if (child) killHookTree(child);
      finish(null);
    };
    const onAbort = () => end();
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      end();
    }, o.timeoutMs);
    const watch = (proc: ChildProcess) => {
      const collect = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
        if (out[key].length < MAX_OUTPUT) out[key] += chunk.toString('utf8').slice(0, MAX_OUTPUT - out[key].length);
      };
      proc.stdout?.on('data', collect('stdout'));
      proc.stderr?.on('data', collect('stderr'));
      proc.on('error', (e) => finish(null, e.message));
      proc.on('close', (code, signal) => finish(code ?? (signal ? null : 0)));
      proc.on('exit', (code, signal) => {
        grace = setTimeout(() => finish(code ?? (signal ? null : 0)), PIPE_GRACE_MS);
      });
      // A hook that does not read its stdin closes the pipe early: that is not an error.
      proc.stdin?.on('error', () => {});
      proc.stdin?.end(input);
    };
    if (o.signal.aborted) return end();
    o.signal.addEventListener('abort', onAbort, { once: true });
    spawnHook(command, o).then(
      (proc) => {
        if (!settled) return watch((child = proc));
        // Timed out or aborted while the sandbox was being prepared: the process goes at once.
        killHookTree(proc);
        for (const pipe of [proc.stdin, proc.stdout, proc.stderr]) pipe?.destroy();
      },
      (e: unknown) => finish(null, e instanceof Error ? e.message : String(e)),
    );
  });
}
