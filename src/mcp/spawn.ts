// A run's stdio MCP server processes started first thing, apart from the MCP client: `glm -p` spawns them and
// writes `initialize` before anything else loads (early-session.ts: the opening exchange without the SDK), so the
// servers start while glm does; servers.ts then takes each session. Light on purpose (node:child_process,
// config.ts, command-env.ts, early-session.ts): cli.ts imports it statically. Also the one graceful end of a
// stdio server (endProcess). POSIX only: on Windows the SDK's transport spawns (cross-spawn finds `npx.cmd`).
import { spawn, type ChildProcess } from 'node:child_process';
import { serverEnv } from '../command-env.ts';
import type { Config } from '../types.ts';
import { expandServer } from './config.ts';
import { EarlySession } from './early-session.ts';

/** After stdin closes, how long a stdio server gets to exit before SIGTERM, and SIGTERM before SIGKILL. */
export const EXIT_GRACE_MS = 100;
export const TERM_GRACE_MS = 1000;

/** What the SDK's stdio transport adds under every server's environment (its getDefaultEnvironment), kept the same. */
const SDK_INHERITED = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER'];

export interface ServerProcess {
  child: ChildProcess;
  /** Settles once the process started: rejects with why it could not (ENOENT …). */
  spawned: Promise<void>;
  /** Resolves when the process has exited and its pipes closed (listened to from the start: none is missed). */
  closed: Promise<void>;
}

/** The environment the SDK's transport would give a server whose own environment is `env`. */
export function sdkEnvironment(env: Record<string, string>, vars: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of SDK_INHERITED) {
    const value = vars[key];
    if (value !== undefined && !value.startsWith('()')) out[key] = value;
  }
  return { ...out, ...env };
}

export function spawnServer(command: string, args: string[], cwd: string, env: Record<string, string>): ServerProcess {
  const child = spawn(command, args, { cwd, env: sdkEnvironment(env), stdio: ['pipe', 'pipe', 'pipe'], shell: false });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  spawned.catch(() => {});
  // An error after the start (a write to a closed stdin) is the transport's to report; never an uncaught one.
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    spawned.catch(() => resolve());
  });
  return { child, spawned, closed };
}

/**
 * Ends a stdio server as the MCP specification asks: stdin closed, SIGTERM if it has not exited after
 * EXIT_GRACE_MS, SIGKILL after TERM_GRACE_MS more; resolves once it has exited.
 */
export async function endProcess({ child, closed }: ServerProcess): Promise<void> {
  const running = () => child.exitCode === null && child.signalCode === null;
  const exitedWithin = (ms: number) => Promise.race([closed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
  try {
    child.stdin?.end();
  } catch {
    // already closed
  }
  if (!running() || (await exitedWithin(EXIT_GRACE_MS))) return void (await closed);
  child.kill('SIGTERM');
  if (await exitedWithin(TERM_GRACE_MS)) return;
  child.kill('SIGKILL');
  await exitedWithin(500);
}

/** The sessions started early, by server name, until the run's servers take them. */
export interface EarlyServers {
  take(name: string): EarlySession | undefined;
}

/**
 * Spawns the stdio servers of `config` that start as they are (not sandboxed, every variable set): the rest start
 * later, the usual way, and report their own errors. A process no one takes is killed when glm exits.
 */
export function spawnEarly(
  config: Pick<Config, 'mcpServers' | 'cwd' | 'apiKey' | 'passEnvToCommands'>,
  vars: NodeJS.ProcessEnv = process.env,
  clientInfo = { name: 'glm-code', version: GLM_VERSION },
): EarlyServers | undefined {
  if (process.platform === 'win32' || !config.mcpServers?.some((e) => e.def.type === 'stdio' && !e.def.sandbox)) return undefined;
  const inherited = serverEnv(config, vars);
  const started = new Map<string, EarlySession>();
  for (const entry of config.mcpServers) {
    if (entry.def.type !== 'stdio' || entry.def.sandbox) continue;
    let def;
    try {
      def = expandServer(entry.def, vars);
    } catch {
      continue;
    }
    if (def.type === 'stdio') started.set(entry.name, new EarlySession(spawnServer(def.command, def.args, config.cwd, { ...inherited, ...def.env }), clientInfo));
  }
  const killLeft = () => {
    for (const s of started.values()) s.process.child.kill('SIGKILL');
  };
  process.once('exit', killLeft);
  return {
    take(name) {
      const p = started.get(name);
      started.delete(name);
      if (!started.size) process.off('exit', killLeft);
      return p;
    },
  };
}
