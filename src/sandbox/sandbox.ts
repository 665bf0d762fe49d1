// A session's command sandbox: whether it runs here (the `sandbox` setting and one bwrap probe), the session's own
// temp folder (the command's /tmp and TMPDIR), the filtering proxy when allowedDomains lists hosts, and `wrap`, which turns a
// command's argv into the bwrap argv that runs it sandboxed: Bash, background shells, and anyone else who starts
// processes for the model (hooks, stdio MCP servers) call it. Imports config types, ./policy, ./bwrap, ./seccomp (the
// filter that refuses unix sockets); ./proxy on first use.
import { existsSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Launch, ToolSandbox, Wrap } from '../tool.ts';
import type { Config, SandboxConfig } from '../types.ts';
import { sandboxHint } from './hints.ts';
import { findOnPath } from '../on-path.ts';
import { bwrapArgs, probeBwrap, type Probe } from './bwrap.ts';
import { sandboxPolicy, underTmp, writableShown, type SandboxPolicy } from './policy.ts';
import { ProjectWalk } from './project-walk.ts';
import { repairCommondirs, repairScript, type CommondirGuard } from './git-commondir.ts';
import type { FilteringProxy } from './proxy.ts';
import { nativeFilter } from './seccomp.ts';
import { processTempDir } from '../process-temp.ts';

export interface SandboxOptions {
  config: SandboxConfig | undefined;
  projectRoot: string;
  additionalDirs: string[];
  /** The live deny rules (Read rules name files to hide). */
  denyRules: () => readonly string[];
  configDir: string;
  /** glm's data folder (transcripts, saved outputs): hidden from commands. */
  dataDir?: string;
  home?: string;
  /** glm's environment (PATH to find bwrap and socat). */
  env?: NodeJS.ProcessEnv;
  /** Told once, when the first command that needs the sandbox has decided it (the probe runs then, not at start). */
  onState?: (state: SandboxState) => void;
}

/** The config fields a sandbox is built from. */
export type SandboxedConfig = Pick<Config, 'sandbox' | 'projectRoot' | 'additionalDirectories' | 'denyRules' | 'configDir' | 'dataDir'>;

/** The command sandbox for a configuration (the session's, glm doctor's, sandboxed MCP servers'); `more` overrides. */
export function sandboxFor(config: SandboxedConfig, more: Partial<SandboxOptions> = {}): CommandSandbox {
  return new CommandSandbox({
    config: config.sandbox,
    projectRoot: config.projectRoot,
    additionalDirs: config.additionalDirectories,
    denyRules: () => config.denyRules,
    configDir: config.configDir,
    dataDir: config.dataDir,
    ...more,
  });
}

export interface SandboxState {
  /** Commands run sandboxed. */
  active: boolean;
  /** Commands are refused: the setting is on and the sandbox cannot start (the message says why). */
  refused?: string;
  /** One line for the user when the sandbox is off although the setting wanted it where possible, or degraded. */
  notice?: string;
}

export type { Launch, Wrap } from '../tool.ts';

const PROXY_PORT = 3128;

/** A Wrap that may also show a few hidden files read-only (CommandSandbox.launch's `show`). */
type ShowingWrap = (argv: string[], cwd: string, env: NodeJS.ProcessEnv, show?: string[]) => Launch;

/** The real paths of the files to show that are regular files now (bwrap fails on a missing source). */
function shownFiles(show: string[]): string[] {
  return show.flatMap((f) => {
    try {
      const p = realpathSync(f);
      return statSync(p).isFile() ? [p] : [];
    } catch {
      return [];
    }
  });
}

/** The proxy's module, imported from here only: the REPL preloads it through this function (repl-host.ts). */
export const loadFilteringProxy = () => import('./proxy.ts');

/** Where this process's seccomp filter is ('' where there is none): in a folder of its own no command can write. */
let filterPath: string | undefined;

function writeFilter(): string {
  const program = nativeFilter();
  if (!program) return '';
  // Inside glm's own temp folder (removed on exit, swept after a crash), which no sandboxed command can write.
  const dir = mkdtempSync(path.join(processTempDir(), 'seccomp-'));
  writeFileSync(path.join(dir, 'unix-sockets.bpf'), program, { mode: 0o400 });
  return path.join(dir, 'unix-sockets.bpf');
}

/**
 * bwrap's argv behind a shell (outside the sandbox) that opens the seccomp filter on fd 9 for it and, given guards,
 * starts a watcher before it becomes bwrap (exec: bwrap stays glm's child, so --die-with-parent holds): once bwrap's
 * pid is gone, the watcher puts the git folders' commondir files back, for processes glm does not wait for (hooks,
 * servers). It holds none of the process's pipes, so no caller waits for its poll. Bash commands get no watcher:
 * glm puts the files back itself the moment one ends (ended()). Without either, bwrap as it is.
 */
function withRepair(inner: string[], guards: readonly CommondirGuard[], filter: string | undefined): string[] {
  const open = filter ? 'exec 9<"$0" || exit 126; ' : '';
  if (!guards.length) return filter ? ['/bin/sh', '-c', `${open}exec "$@"`, filter, ...inner] : inner;
  // Polled: quickly at first (a command's end), then twice a second (a server or background shell that runs on).
  const watch = `(i=0; while kill -0 $$ 2>/dev/null; do if [ $i -lt 25 ]; then sleep 0.2; else sleep 0.5; fi; i=$((i+1)); done; ${repairScript(guards)}) </dev/null >/dev/null 2>&1 &`;
  return ['/bin/sh', '-c', `${open}${watch} exec "$@"`, filter ?? 'glm-sandbox', ...inner];
}

export class CommandSandbox implements ToolSandbox {
  /** Known once state() has resolved: commands run sandboxed. */
  active = false;
  /** What the last command could write (explain() names it without walking the project again). */
  private lastWritable?: string[];
  private probe?: Promise<SandboxState>;
  private tmp?: string;
  private proxy?: Promise<{ socket: string; server: FilteringProxy } | undefined>;
  private socat?: string;
  private closed = false;
  /** The project's folders as the last command saw them: a later command reads only the changed ones. */
  private readonly walk = new ProjectWalk();
  /** The last launch's commondir guards, put back once more when the session ends. */
  private guards: CommondirGuard[] = [];

  private readonly o: SandboxOptions;

  constructor(o: SandboxOptions) {
    this.o = o;
  }

  get mode() {
    return this.o.config?.mode ?? 'off';
  }

  /**
   * Whether commands run sandboxed, and what to tell the user; probes bwrap once (a few tens of milliseconds), so
   * callers ask only when a command is about to need it: a run that starts no command never pays for the probe.
   */
  state(): Promise<SandboxState> {
    return (this.probe ??= this.decide().then((s) => {
      this.active = s.active;
      this.o.onState?.(s);
      return s;
    }));
  }

  /**
   * Starts a process's argv sandboxed (hooks, stdio MCP servers): prepare and wrap in one call. `show`: files this
   * process may read although the sandbox hides their folder (a hook's session transcript in glm's data folder).
   */
  async launch(argv: string[], cwd: string, env: NodeJS.ProcessEnv, show: string[] = []): Promise<Launch | { refused: string }> {
    const prepared = await this.prepareWith(true);
    if ('refused' in prepared) return prepared;
    return show.length ? prepared.wrap(argv, cwd, env, show) : prepared.wrap(argv, cwd, env);
  }

  explain(output: string): string | undefined {
    if (!this.active) return undefined;
    const writable = writableShown(this.lastWritable ?? this.policy().writable);
    return sandboxHint(output, { writable, allowedDomains: this.socat ? (this.o.config?.allowedDomains ?? []) : [] });
  }

  private async decide(): Promise<SandboxState> {
    if (this.mode === 'off') return { active: false };
    const probe: Probe = await probeBwrap(this.o.env);
    if (!probe.ok) {
      if (this.mode === 'on') return { active: false, refused: `The sandbox setting is on, but the sandbox cannot start: ${probe.reason}.`, notice: `Commands will not run: the sandbox is required but cannot start (${probe.reason}).` };
      return { active: false, notice: `Commands run without a sandbox: ${probe.reason}.` };
    }
    const domains = this.o.config?.allowedDomains ?? [];
    this.socat = domains.length ? findOnPath('socat', this.o.env) : undefined;
    if (domains.length && !this.socat) return { active: true, notice: 'socat is not installed, so sandboxed commands have no network even for sandbox.network.allowedDomains (apt install socat).' };
    return { active: true };
  }

  /**
   * The wrap function for the next process, or why no process may start; call per command. The caller (the Bash
   * tool) calls ended() when the process ends; launch()'s processes (hooks, servers) also get the shell's watcher.
   */
  prepare(): Promise<{ wrap: ShowingWrap } | { refused: string }> {
    return this.prepareWith(false);
  }

  private async prepareWith(watch: boolean): Promise<{ wrap: ShowingWrap } | { refused: string }> {
    const state = await this.state();
    if (state.refused) return { refused: state.refused };
    if (!state.active) return { wrap: (argv: string[], _cwd: string, env: NodeJS.ProcessEnv) => ({ argv, env }) };
    if (this.closed) return { refused: 'The session has ended; no more commands run in it.' };
    const policy = this.policy(); // per command: the files Read deny patterns match now
    this.lastWritable = policy.writable;
    // What an earlier process left in a git folder's commondir and its outer shell could not put back (killed).
    repairCommondirs((this.guards = policy.commondirs ?? []));
    if (policy.refused) return { refused: policy.refused };
    const proxy = await this.startProxy();
    const bwrap = (await probeBwrap(this.o.env)) as { bwrap: string };
    const guarded = { ...policy, commondirs: watch ? policy.commondirs : [] };
    return { wrap: (argv, cwd, env, show: string[] = []) => this.wrap(bwrap.bwrap, { ...guarded, shown: shownFiles(show) }, argv, cwd, env, proxy?.socket) };
  }

  /** The session's temp folder, made on first use. */
  get tmpDir(): string {
    if (!this.tmp) {
      this.tmp = mkdtempSync(path.join(os.tmpdir(), 'glm-sandbox-'));
      const tmp = this.tmp;
      process.once('exit', () => rmSync(tmp, { recursive: true, force: true }));
    }
    return this.tmp;
  }

  /** What the sandbox allows right now (glm doctor shows it). */
  policy(): SandboxPolicy {
    return sandboxPolicy({
      projectRoot: this.o.projectRoot,
      additionalDirs: this.o.additionalDirs,
      allowWrite: this.o.config?.allowWrite ?? [],
      denyRules: [...this.o.denyRules()],
      configDir: this.o.configDir,
      dataDir: this.o.dataDir,
      home: this.o.home ?? os.homedir(),
      tmpDir: this.tmpDir,
      env: this.o.env,
      walk: this.walk,
    });
  }

  private wrap(bwrap: string, policy: SandboxPolicy, argv: string[], cwd: string, env: NodeJS.ProcessEnv, socket?: string): Launch {
    // Files the argv names in the real /tmp (a long script, a server's file) and the proxy's socket stay reachable;
    // not a `-c` script that is only a path (the model's command text must not open the real /tmp).
    const named = argv.filter((a, i) => argv[i - 1] !== '-c' && path.isAbsolute(a) && underTmp(a) && existsSync(a));
    const readable = [...(policy.readable ?? []), ...named, ...(socket ? [path.dirname(socket)] : [])];
    const args = bwrapArgs({ ...policy, readable }, cwd);
    const filter = socket ? undefined : this.filterFile(); // socat reaches the proxy through a unix socket
    // /tmp inside is the session's own folder: tools that ignore TMPDIR work, and the shared /tmp stays untouched.
    const out: NodeJS.ProcessEnv = { ...env, TMPDIR: '/tmp', TMP: '/tmp', TEMP: '/tmp' };
    const outer = (inner: string[]) => withRepair(inner, policy.commondirs ?? [], filter);
    // bwrap reads the filter from fd 9, which a shell opens for it (a Launch is only an argv and an environment).
    if (filter) return { argv: outer([bwrap, ...args, '--seccomp', '9', '--', ...argv]), env: out };
    if (!socket || !this.socat) return { argv: outer([bwrap, ...args, '--', ...argv]), env: out };
    // Inside, socat turns 127.0.0.1:3128 into the proxy's socket; the command starts once it listens.
    const url = `http://127.0.0.1:${PROXY_PORT}`;
    Object.assign(out, { HTTP_PROXY: url, HTTPS_PROXY: url, http_proxy: url, https_proxy: url, ALL_PROXY: url, NO_PROXY: 'localhost,127.0.0.1,::1', no_proxy: 'localhost,127.0.0.1,::1' });
    const listening = `grep -q ' 0100007F:${PROXY_PORT.toString(16).toUpperCase().padStart(4, '0')} 00000000:0000 0A' /proc/net/tcp`;
    const script = `"$0" TCP-LISTEN:${PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"$GLM_SANDBOX_PROXY" >/dev/null 2>&1 & i=0; while [ $i -lt 300 ] && ! ${listening} 2>/dev/null; do sleep 0.01; i=$((i+1)); done; exec "$@"`;
    out.GLM_SANDBOX_PROXY = socket;
    return { argv: outer([bwrap, ...args, '--', '/bin/sh', '-c', script, this.socat, ...argv]), env: out };
  }

  /** The seccomp filter that refuses unix sockets, written once per process where glm has one for this machine. */
  private filterFile(): string | undefined {
    if (this.o.config?.allowUnixSockets) return undefined;
    // Written again if something removed it (a temp cleaner): a missing file would fail every command.
    if (filterPath === undefined || (filterPath && !existsSync(filterPath))) filterPath = writeFilter();
    return filterPath;
  }

  private startProxy() {
    const domains = this.o.config?.allowedDomains ?? [];
    if (!domains.length || !this.socat) return Promise.resolve(undefined);
    return (this.proxy ??= (async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'glm-proxy-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      const socket = path.join(dir, 'proxy.sock');
      // Imported only now (node:http, node:net): a run without allowedDomains, or that runs no command, never loads it.
      const { startProxy } = await loadFilteringProxy();
      return { socket, server: await startProxy(socket, domains) };
    })());
  }

  /** A process this sandbox wrapped has ended: the git folders' commondir files are put back at once. */
  ended(): void {
    repairCommondirs(this.guards);
  }

  /** Removes the temp folder and stops the proxy; an active sandbox refuses commands from now on. */
  async close(): Promise<void> {
    this.closed = true;
    repairCommondirs(this.guards);
    const proxy = await this.proxy?.catch(() => undefined);
    await proxy?.server.close();
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
  }
}
