// The MCP servers of one run: all connect in parallel from the start, each bounded by the startup timeout; their
// tools as one ToolSet (servers and tools by name) that follows list_changed; statuses for front ends (and a
// listener told when one connects or fails); reconnect(name) for the REPL's /mcp; each stdio server's stderr in
// <session folder>/mcp/<name>.log; close() ends every server. Loaded only when a server is
// configured. A stdio server is opened without the SDK (early-session.ts; glm -p's were spawned before this
// loaded, spawn.ts) and the SDK's Client (client.ts) loads at its first call (early-connection.ts); a remote one
// connects through the SDK at once.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ToolSet } from '../tool.ts';
import type { McpServerDef, McpServerEntry } from '../types.ts';
import type { Connection, ConnectOptions } from './client.ts';
import { EarlySession } from './early-session.ts';
import { earlyConnection } from './early-connection.ts';
import { expandServer } from './config.ts';
import { serverTools, type McpToolInfo, type ServerTools } from './tools.ts';
import { withToolSearch, type ToolSearchPolicy } from './tool-search.ts';
import { resourceToolSet } from './resource-tools.ts';
import { hasTokens, loginHint, oauthProvider } from './oauth.ts';
import { composeToolSets } from '../tool-sets.ts';
import { endProcess, spawnServer, type EarlyServers } from './spawn.ts';

export type McpStatus = 'pending' | 'connected' | 'failed';

export interface McpServerState {
  name: string;
  status: McpStatus;
  /** Why it failed, in one line. */
  error?: string;
  toolCount: number;
}

export interface StartOptions {
  cwd: string;
  /** The minimal inherited environment of a stdio server (command-env.ts serverEnv). */
  serverEnv: Record<string, string>;
  /** Where ${VAR} references are looked up (glm's own environment). */
  vars: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** When the tools' schemas go through ToolSearch (default: never). */
  toolSearch?: ToolSearchPolicy;
  /** Where `glm mcp login` keeps OAuth tokens (oauth.ts); a remote server with tokens there uses them. */
  oauthFile?: string;
  /**
   * Starts a server whose definition says `"sandbox": true` inside the command sandbox (src/sandbox/): the argv and
   * environment to spawn instead, or why it cannot start. Without it such a server fails rather than run unsandboxed.
   */
  sandbox?: (argv: string[], cwd: string, env: NodeJS.ProcessEnv) => Promise<{ argv: string[]; env: NodeJS.ProcessEnv } | { refused: string }>;
  /** Stdio servers whose processes were started already (spawn.ts): their first connection takes them. */
  early?: EarlyServers;
}

/** Stderr kept in memory until the session folder is known. */
const MAX_EARLY_LOG = 256 * 1024;

class Server {
  status: McpStatus = 'pending';
  error?: string;
  /** Replaced by reconnect(): a connection it still makes is closed at once. */
  retired = false;
  conn?: Connection;
  /** Aborted at the startup timeout, or when the run closes before the server is up. */
  readonly starting = new AbortController();
  tools: ServerTools = { schemas: [], defs: async () => [] };
  private log?: WriteStream;
  private early: string[] = [];
  private earlySize = 0;
  private lastLine = '';

  constructor(readonly entry: McpServerEntry) {}

  setTools(tools: McpToolInfo[]) {
    this.tools = serverTools(this.entry.name, tools, (tool, args, signal) => {
      if (!this.conn || this.status !== 'connected') return Promise.reject(new Error(`the ${this.entry.name} MCP server is not connected (${this.error ?? 'closed'})`));
      return this.conn.call(tool, args, signal);
    });
  }

  stderr(chunk: string) {
    const lines = chunk.split('\n').filter((l) => l.trim());
    if (lines.length) this.lastLine = lines.at(-1)!.trim().slice(0, 200);
    if (this.log) return void this.log.write(chunk);
    if (this.earlySize + chunk.length > MAX_EARLY_LOG) return;
    this.early.push(chunk);
    this.earlySize += chunk.length;
  }

  logTo(dir: string) {
    if (this.entry.def.type !== 'stdio' || this.log) return;
    mkdirSync(dir, { recursive: true });
    this.log = createWriteStream(path.join(dir, `${this.entry.name}.log`), { flags: 'a', mode: 0o600 });
    this.log.on('error', () => {});
    for (const chunk of this.early.splice(0)) this.log.write(chunk);
  }

  fail(why: string) {
    this.status = 'failed';
    const said = this.lastLine && !why.includes(this.lastLine) ? ` (it said: ${this.lastLine})` : '';
    this.error = `${why}${said}`;
    // The model no longer sees its tools; a call it still makes (from an earlier request) says why it fails.
    this.tools = { schemas: [], defs: this.tools.defs };
  }

  async close() {
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close().catch(() => {});
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
  }
}

export class McpServers {
  private readonly servers: Server[];
  private readonly started: Promise<void>;
  /** Starts of reconnect(), awaited by close(). */
  private readonly restarts = new Set<Promise<void>>();
  private readonly listeners = new Set<(s: McpServerState) => void>();
  private logDir?: string;
  private closed = false;

  constructor(
    entries: McpServerEntry[],
    private readonly o: StartOptions,
  ) {
    this.servers = entries.map((e) => new Server(e));
    const tools = withToolSearch(
      { schemas: () => this.servers.flatMap((s) => s.tools.schemas), defs: async () => (await Promise.all(this.servers.map((s) => s.tools.defs()))).flat() },
      o.toolSearch ?? { mode: 'never', budgetTokens: 0, maxTools: 0 },
    );
    this.toolSet = composeToolSets([tools, resourceToolSet(() => this.offering('resources'))]);
    this.started = Promise.all(this.servers.map((s) => this.start(s, o))).then(() => {});
  }

  /** `listener` hears each server that connects or fails from now on (a connected one that closes fails). */
  onChange(listener: (s: McpServerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(s: Server): void {
    if (s.retired || this.closed) return;
    const state = stateOf(s);
    for (const listener of this.listeners) listener(state);
  }

  private async start(s: Server, o: StartOptions): Promise<void> {
    const callbacks = {
      onToolsChanged: (tools: McpToolInfo[]) => void (s.status === 'connected' && s.setTools(tools)),
      onClosed: () => {
        if (s.status !== 'connected') return;
        s.fail('the server closed the connection');
        this.changed(s);
      },
    };
    const controller = s.starting;
    const timer = setTimeout(() => controller.abort(), o.timeoutMs);
    const early = o.early?.take(s.entry.name);
    try {
      const conn = early ? await this.takeEarly(s, early, controller.signal, callbacks) : await this.connect(s, o, controller.signal, callbacks);
      if (this.closed || s.retired) return void (await conn.close());
      s.conn = conn;
      s.status = 'connected';
      s.setTools(conn.tools);
    } catch (err) {
      const timedOut = controller.signal.aborted && !this.closed && !s.retired;
      const why = oneLine(err);
      const login = s.entry.def.type !== 'stdio' && /\b401\b|unauthorized/i.test(why) ? ` (if it uses OAuth: ${loginHint(s.entry.name)})` : '';
      s.fail(this.closed ? 'closed before it started' : s.retired ? 'replaced by a reconnect' : timedOut ? `did not start within ${(o.timeoutMs / 1000).toFixed(1)} s` : why + login);
    } finally {
      clearTimeout(timer);
    }
    this.changed(s);
  }

  /** A connection over a stdio server's early session (its stderr to this server's log). */
  private async takeEarly(s: Server, early: EarlySession, signal: AbortSignal, callbacks: Pick<ConnectOptions, 'onToolsChanged' | 'onClosed'>): Promise<Connection> {
    early.process.child.stderr?.on('data', (chunk: Buffer) => s.stderr(chunk.toString('utf8')));
    try {
      return earlyConnection(early, await untilAborted(early.opened, signal), callbacks);
    } catch (err) {
      await endProcess(early.process);
      throw err;
    }
  }

  /**
   * A stdio server spawned now (through the sandbox when it asks), opened like glm -p's early ones; a remote one
   * (and, on Windows, where the SDK's transport finds `npx.cmd` and the like, a stdio one) through the SDK's Client.
   */
  private async connect(s: Server, o: StartOptions, signal: AbortSignal, callbacks: Pick<ConnectOptions, 'onToolsChanged' | 'onClosed'>): Promise<Connection> {
    const expanded = expandServer(s.entry.def, o.vars);
    const inherited = expanded.type === 'stdio' ? { ...o.serverEnv, ...expanded.env } : {};
    const def = expanded.type === 'stdio' && expanded.sandbox ? await sandboxed(expanded, o, inherited) : expanded;
    const env = def.type === 'stdio' && def.sandbox ? def.env : inherited;
    if (def.type === 'stdio' && process.platform !== 'win32') {
      const session = new EarlySession(spawnServer(def.command, def.args, o.cwd, env), { name: 'glm-code', version: GLM_VERSION });
      return this.takeEarly(s, session, signal, callbacks);
    }
    const oauth = def.type !== 'stdio' && o.oauthFile && hasTokens(o.oauthFile, def.url);
    const { connect } = await import('./client.ts');
    return connect(def, {
      ...(oauth && { auth: oauthProvider(o.oauthFile!, def.url, { name: s.entry.name }) }),
      cwd: o.cwd,
      env,
      signal,
      onStderr: (chunk) => s.stderr(chunk),
      ...callbacks,
    });
  }

  /**
   * Closes server `name` (connected, failed or still starting) and starts it again from its definition; resolves
   * with its new state once it is connected or has failed. Undefined when there is no such server.
   */
  async reconnect(name: string): Promise<McpServerState | undefined> {
    const i = this.servers.findIndex((s) => s.entry.name === name);
    if (i < 0 || this.closed) return undefined;
    const old = this.servers[i]!;
    old.retired = true;
    old.starting.abort();
    await old.close();
    const fresh = new Server(old.entry);
    this.servers[i] = fresh;
    if (this.logDir) fresh.logTo(this.logDir);
    const started = this.start(fresh, this.o);
    this.restarts.add(started);
    await started;
    this.restarts.delete(started);
    return stateOf(fresh);
  }

  /** Resolves once every server is connected or has failed (each bounded by the startup timeout). */
  ready(): Promise<void> {
    return this.started;
  }

  /** The connected servers that offer resources or prompts, with their connections. */
  offering(what: 'resources' | 'prompts'): { name: string; conn: Connection }[] {
    return this.servers.flatMap((s) => (s.status === 'connected' && s.conn?.offers[what] ? [{ name: s.entry.name, conn: s.conn }] : []));
  }

  statuses(): McpServerState[] {
    return this.servers.map(stateOf);
  }

  /** The connected servers' tools, read at each request (servers by name, tools by name), or ToolSearch and the found ones. */
  readonly toolSet: ToolSet;

  /** Stderr of stdio servers goes to `<dir>/<name>.log` from now on (what came before is written first). */
  logTo(dir: string): void {
    this.logDir ??= dir;
    for (const s of this.servers) s.logTo(dir);
  }

  /** Closes every server; resolves when their processes have exited. */
  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.servers) s.starting.abort();
    await this.started;
    await Promise.all(this.restarts);
    await Promise.all(this.servers.map((s) => s.close()));
  }
}

function stateOf(s: Server): McpServerState {
  return { name: s.entry.name, status: s.status, ...(s.error && { error: s.error }), toolCount: s.status === 'connected' ? s.tools.schemas.length : 0 };
}

/** `promise`, or a rejection once `signal` aborts (the startup timeout, or a close while starting). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(new Error('aborted'));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim().slice(0, 300) || 'unknown error';
}

/** A stdio definition that starts through the sandbox's wrap: bwrap's argv, the environment it gives (TMPDIR). */
async function sandboxed(def: Extract<McpServerDef, { type: 'stdio' }>, o: StartOptions, env: Record<string, string>): Promise<McpServerDef> {
  const launch = o.sandbox ? await o.sandbox([def.command, ...def.args], o.cwd, env) : { refused: 'it asks for the sandbox, which this command does not offer' };
  if ('refused' in launch) throw new Error(launch.refused);
  const [command, ...args] = launch.argv;
  const wrappedEnv = Object.fromEntries(Object.entries(launch.env).filter((e): e is [string, string] => e[1] !== undefined));
  return { ...def, command: command!, args, env: wrappedEnv };
}
