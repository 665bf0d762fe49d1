// Running shell commands: each in its own process group so the whole tree can be killed, foreground runs with
// live output and timeouts, background shells logging to a file, and killAllShells for session shutdown.
// Imports no loop, session or UI.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Options, ResultPromise } from 'execa';
import { processTempDir } from '../src/process-temp.ts';
import type { BackgroundShell, ToolState, Wrap } from '../src/tool.ts';

/** Keeps commands off the terminal: no pagers, no credential prompts, no editors waiting for input. */
const SHELL_ENV = { GIT_PAGER: 'cat', PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true' };
const KILL_GRACE_MS = 2000;

/**
 * What a terminal would end up showing, as plain text: colour and other escape sequences removed, and
 * progress lines redrawn with \r reduced to their final state. Saves the model many tokens.
 */
export function plainOutput(s: string): string {
  return s
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[@-Z\\-_]/g, '')
    .split('\n')
    .map((line) => {
      const body = line.endsWith('\r') ? line.slice(0, -1) : line;
      const i = body.lastIndexOf('\r');
      return i === -1 ? body : body.slice(i + 1);
    })
    .join('\n');
}

let shellPath: string | undefined;
/** bash when available (checked once), else sh. */
export function userShell(): string {
  if (shellPath) return shellPath;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const bash = ['/bin/bash', '/usr/bin/bash', ...dirs.map((d) => join(d, 'bash'))].find((p) => existsSync(p));
  shellPath = bash ?? '/bin/sh';
  return shellPath;
}

/** Process groups still running, killed if this process exits before they do. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function track(pid: number) {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const g of liveGroups) killTree(g, 'SIGTERM');
    });
  }
  liveGroups.add(pid);
}

/** Signals the whole process group led by `pid` (children and grandchildren too). */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') process.kill(pid, signal);
    else process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Whether any process of the group led by `pid` is still around. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM now, SIGKILL after a grace period to whatever of the group is left. */
function terminate(pid: number): void {
  killTree(pid, 'SIGTERM');
  setTimeout(() => {
    if (groupAlive(pid)) killTree(pid, 'SIGKILL');
    liveGroups.delete(pid);
  }, KILL_GRACE_MS).unref();
}

/** execa is loaded on the first command, not at start-up (it is a third of the tools' import time). */
let execaModule: Promise<typeof import('execa')> | undefined;
export const loadExeca = () => (execaModule ??= import('execa'));

type Execa = Awaited<ReturnType<typeof loadExeca>>['execa'];

/**
 * `env` is the child's whole environment (ToolContext.env: without the provider keys); execa must not add
 * process.env back to it (its extendEnv default), or the keys return. Undefined: this process's own (tests).
 */
/** Commands up to this size go to the shell as `-c` text; a longer one (a big heredoc) would pass the OS's limit on
 * one argument (128 KiB on Linux, E2BIG), so it goes as a script file in glm's own temp folder, removed afterwards. */
const MAX_ARGV_SCRIPT_BYTES = 64 * 1024;

function shellArgs(command: string): { args: string[]; cleanup: () => void } {
  if (Buffer.byteLength(command) <= MAX_ARGV_SCRIPT_BYTES) return { args: ['-c', command], cleanup: () => {} };
  const file = join(shellLogDir(), `script-${randomBytes(6).toString('hex')}.sh`);
  writeFileSync(file, command, { flag: 'wx', mode: 0o600 });
  return { args: [file], cleanup: () => rmSync(file, { force: true }) };
}

function spawnShell(execa: Execa, command: string, cwd: string, out: 'pipe' | number, env: NodeJS.ProcessEnv = process.env, wrap?: Wrap): { child: ResultPromise; cleanup: () => void } {
  // A raw file descriptor goes straight to the child (execa's types only list fds 3–9; any open fd works).
  // Unlike execa's {file} option, it leaves no pipe in this process that would keep it alive.
  const stdio = out as 'pipe';
  const options: Options = {
    cwd,
    extendEnv: false,
    stdin: 'ignore',
    stdout: stdio,
    stderr: stdio,
    buffer: false,
    reject: false,
    detached: true,
  };
  const script = shellArgs(command);
  try {
    // The sandbox (when on) turns the argv into bwrap's; the process group then leads with bwrap.
    const launch = (wrap ?? ((argv, _cwd, e) => ({ argv, env: e })))([userShell(), ...script.args], cwd, { ...env, ...SHELL_ENV });
    return { child: execa(launch.argv[0]!, launch.argv.slice(1), { ...options, env: launch.env }), cleanup: script.cleanup };
  } catch (err) {
    script.cleanup();
    throw err;
  }
}

/** Output kept in memory for a foreground run: everything up to a cap, then the head plus a rolling tail. */
class OutputBuffer {
  private static readonly CAP = 16 * 1024 * 1024;
  private head = '';
  private tail = '';
  private dropped = 0;
  push(s: string) {
    if (this.head.length < OutputBuffer.CAP) {
      this.head += s;
      return;
    }
    this.tail += s;
    if (this.tail.length > OutputBuffer.CAP) {
      this.dropped += this.tail.length - OutputBuffer.CAP / 2;
      this.tail = this.tail.slice(-OutputBuffer.CAP / 2);
    }
  }
  text(): string {
    return this.dropped ? `${this.head}\n[… ${this.dropped} characters of output dropped …]\n${this.tail}` : this.head + this.tail;
  }
}

export interface RunResult {
  output: string;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  interrupted: boolean;
  spawnError?: string;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  onOutput?: (chunk: string) => void;
  /** The command's whole environment (see spawnShell). */
  env?: NodeJS.ProcessEnv;
  /** The sandbox's wrap (ToolSandbox.prepare); none: the command runs as is. */
  wrap?: Wrap;
}

/** Runs a command to completion (or timeout/abort), stdout and stderr interleaved as they arrive. */
export async function runForeground(command: string, o: RunOptions): Promise<RunResult> {
  const { child, cleanup } = spawnShell((await loadExeca()).execa, command, o.cwd, 'pipe', o.env, o.wrap);
  const buf = new OutputBuffer();
  const onData = (chunk: string) => {
    buf.push(chunk);
    o.onOutput?.(chunk);
  };
  child.stdout?.setEncoding('utf8').on('data', onData);
  child.stderr?.setEncoding('utf8').on('data', onData);

  let timedOut = false;
  let interrupted = false;
  const pid = child.pid;
  if (pid) track(pid);
  const stop = () => pid && terminate(pid);
  const timer = setTimeout(() => ((timedOut = true), stop()), o.timeoutMs);
  const onAbort = () => ((interrupted = true), stop());
  o.signal.addEventListener('abort', onAbort, { once: true });
  if (o.signal.aborted) onAbort();

  const exit = await new Promise<{ code: number | null; sig: NodeJS.Signals | null; error?: string }>((resolve) => {
    child.nodeChildProcess.once('exit', (code, sig) => resolve({ code, sig }));
    void child.then((r) => resolve({ code: r.exitCode ?? null, sig: null, error: r.failed && r.exitCode === undefined ? r.shortMessage : undefined }));
  });
  if (pid && !timedOut && !interrupted) liveGroups.delete(pid);
  cleanup();
  clearTimeout(timer);
  o.signal.removeEventListener('abort', onAbort);
  // A backgrounded grandchild (`cmd &`) may hold the pipes open: give them a moment to drain, then stop waiting.
  await Promise.race([child.then(() => undefined), new Promise((r) => setTimeout(r, 250).unref())]);
  child.stdout?.destroy();
  child.stderr?.destroy();
  return {
    output: buf.text(),
    exitCode: exit.code ?? undefined,
    signal: exit.sig ?? undefined,
    timedOut,
    interrupted,
    spawnError: exit.error,
  };
}

/** Logs and long scripts live in this process's temp folder: removed when glm exits, or by the next run after a crash. */
let logDir: string | undefined;
function shellLogDir(): string {
  if (logDir) return logDir;
  const dir = join(processTempDir(), 'shells');
  mkdirSync(dir, { recursive: true });
  return (logDir = dir);
}

/** Reads only what a file gained since the last call; very large gains keep just their end. */
function logReader(path: string) {
  const MAX = 8 * 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  return (): string => {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      let skipped = '';
      if (size - offset > MAX) {
        skipped = `[… ${size - MAX - offset} bytes skipped; the full log is ${path} …]\n`;
        offset = size - MAX;
      }
      const buf = Buffer.alloc(size - offset);
      const n = buf.length ? readSync(fd, buf, 0, buf.length, offset) : 0;
      offset += n;
      return skipped + decoder.write(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  };
}

export interface StartedShell extends BackgroundShell {
  logPath: string;
  /** Settles when the process has exited. */
  done: Promise<void>;
}

/** Starts a command in the background, registered in `state.shells` as bash_N. Never keeps this process alive. */
/** `ended`: called once the shell has exited (the sandbox puts back what a command may have planted for git). */
export async function startBackground(command: string, cwd: string, state: ToolState, env?: NodeJS.ProcessEnv, wrap?: Wrap, ended?: () => void): Promise<StartedShell> {
  const { execa } = await loadExeca(); // before choosing the id: from here on nothing awaits
  let n = state.shells.size + 1;
  while (state.shells.has(`bash_${n}`)) n++;
  const id = `bash_${n}`;
  const logPath = join(shellLogDir(), `${id}-${process.pid}-${Date.now()}.log`);
  const fd = openSync(logPath, 'a');
  let child: ResultPromise;
  let cleanup: () => void;
  try {
    ({ child, cleanup } = spawnShell(execa, command, cwd, fd, env, wrap));
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  let exited = false;
  let markDone = () => {};
  const shell: StartedShell = {
    id,
    command,
    logPath,
    done: new Promise<void>((r) => (markDone = r)),
    status: 'running',
    readNew: logReader(logPath),
    kill() {
      // Also signals leftovers (`server &`) of a shell whose main process already exited.
      if (shell.status === 'running') shell.status = 'killed';
      if (pid && groupAlive(pid)) terminate(pid);
    },
  };
  const finish = (code: number | null, failed: boolean) => {
    if (exited) return;
    exited = true;
    cleanup();
    if (code !== null) shell.exitCode = code;
    if (shell.status === 'running') shell.status = code === 0 && !failed ? 'completed' : 'failed';
    ended?.();
    markDone();
  };
  child.nodeChildProcess.once('exit', (code) => finish(code, false));
  void child.then((r) => finish(r.exitCode ?? null, r.failed));
  if (pid) track(pid);
  child.nodeChildProcess.unref();
  state.shells.set(id, shell);
  return shell;
}

/** Stops every running background shell (whole process trees) and waits briefly for them to exit.
 * The session calls this when it closes; not awaiting it is fine (the signals are sent at once). */
export async function killAllShells(state: ToolState): Promise<void> {
  const running = [...state.shells.values()].filter((s) => s.status === 'running');
  for (const s of state.shells.values()) s.kill();
  const waits = running.map((s) => (s as Partial<StartedShell>).done ?? Promise.resolve());
  await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, KILL_GRACE_MS + 500).unref())]);
}
