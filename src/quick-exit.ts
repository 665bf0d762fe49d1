// Ends glm once its work is done without waiting for V8's background compilers. Node's fetch parses HTTP with
// llhttp compiled to WebAssembly (tree-sitter-bash is WASM too); after a run's second request V8 compiles the hot
// parser functions again, optimised, on a background thread, and process.exit() joins those threads before the
// process ends: a `glm -p` that called one tool ended 0.4–1 s after its answer (bench/exit-lag.mjs).
// process.execve replaces glm with `/bin/sh -c 'exit N'`, which ends at once with the same exit code: the kernel
// drops the compiler threads. Where that cannot work, process.exit. Imports nothing of glm.
import { accessSync, constants } from 'node:fs';

const SHELL = '/bin/sh';

/** How quickExit replaces the process; tests inject a failing one. */
export interface Exec {
  execve: typeof process.execve;
  shell: string;
}

/**
 * Exits with `code` as process.exit would (the 'exit' listeners run first: temp folders, background shells, the
 * code cache), then through execve when it is safe, else through process.exit. Call once stdout and stderr are flushed.
 */
export function quickExit(code: number, exec: Exec = { execve: process.execve, shell: SHELL }): never {
  const execve = usableExecve(exec);
  if (!execve) process.exit(code);
  const proc = process as NodeJS.Process & { _exiting?: boolean };
  proc.exitCode = code;
  // What process.exit does before it ends the process; _exiting keeps a later process.exit from running them twice.
  if (!proc._exiting) {
    proc._exiting = true;
    process.emit('exit', code);
  }
  const final = Number(process.exitCode ?? code) || 0; // a listener may change it, as with process.exit
  // Node restores its stdio at exit; an exec does not: a pipe glm read from or wrote to (shared with a shell loop
  // that reads the same pipe next) stays non-blocking unless its handle is set back to blocking here.
  for (const stream of [process.stdin, process.stdout, process.stderr]) {
    (stream as unknown as { _handle?: { setBlocking?: (on: boolean) => number } })._handle?.setBlocking?.(true);
  }
  try {
    // An empty environment: the shell needs none, and glm's (keys included) has no reason to outlive it.
    execve.call(process, exec.shell, ['sh', '-c', `exit ${final & 0xff}`], {});
  } catch {
    // Refused before the system call (the permission model, a worker thread): the ordinary exit, listeners done.
  }
  process.exit(final);
}

/**
 * A failed execve system call aborts the process (Node cannot return from it), so only where it can work: not on
 * Windows, not where the permission model forbids child processes, with the shell executable, no terminal in raw
 * mode (Node restores its modes at exit; an exec would not), and no profiler or coverage that writes its file at exit.
 */
function usableExecve({ execve, shell }: Exec): NonNullable<Exec['execve']> | undefined {
  if (typeof execve !== 'function' || process.platform === 'win32') return undefined;
  if (process.permission && !process.permission.has('child')) return undefined;
  if (process.stdin.isTTY && process.stdin.isRaw) return undefined;
  if (process.env.NODE_V8_COVERAGE || process.execArgv.some((a) => /^--(cpu|heap)-prof/.test(a))) return undefined;
  try {
    accessSync(shell, constants.X_OK);
    return execve;
  } catch {
    return undefined;
  }
}
