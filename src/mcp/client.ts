// One connection to one MCP server through the SDK's Client: stdio (the server's stderr handed to a sink),
// streamable HTTP or SSE; its tools (all pages, refreshed on notifications/tools/list_changed); calls that an
// abort signal cancels; and a close that leaves no process behind. The only importer of the MCP SDK.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { OAuthProvider } from './oauth.ts';
import type { McpServerDef } from '../types.ts';
import type { McpCallResult } from './results.ts';
import type { McpToolInfo } from './tools.ts';
import { EXIT_GRACE_MS, TERM_GRACE_MS, endProcess } from './spawn.ts';
import type { EarlySession, InitializeResult, JsonRpcMessage, Opened } from './early-session.ts';

/** A tool call may run long (a build, a search); progress notifications restart this clock. */
const CALL_TIMEOUT_MS = 30 * 60_000;

export interface ConnectOptions {
  cwd: string;
  /** The whole environment of a stdio server (its `env` on top of the minimal inherited one). */
  env: Record<string, string>;
  /** A stdio server's stderr, chunk by chunk. */
  onStderr: (chunk: string) => void;
  /** Aborted: give up connecting (the startup timeout). */
  signal: AbortSignal;
  /** The tool list changed (after list_changed); `tools` is the new list. */
  onToolsChanged: (tools: McpToolInfo[]) => void;
  /** The connection ended on its own (the server exited or the stream broke). */
  onClosed: () => void;
  /** OAuth for an HTTP or SSE server (tokens from `glm mcp login`, refreshed when they expire). */
  auth?: OAuthProvider;
}

/** A login's first connect: the user must authorize in a browser; `finish` trades the code for tokens. */
export class NeedsAuthorization extends Error {
  constructor(readonly finish: (code: string) => Promise<void>) {
    super('authorization needed');
  }
}

export interface McpResourceInfo {
  uri: string;
  name?: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

export interface McpPromptInfo {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean }[];
}

/** A prompt's messages as prompts/get returns them. */
export interface McpPromptMessage {
  role: string;
  content: unknown;
}

export interface Connection {
  tools: McpToolInfo[];
  /** What the server said it offers besides tools. */
  offers: { resources: boolean; prompts: boolean };
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
  /** The server's resources (every page); none when it offers none. */
  resources(signal: AbortSignal): Promise<McpResourceInfo[]>;
  /** resources/read: the contents (text or base64 blob per entry). */
  readResource(uri: string, signal: AbortSignal): Promise<unknown[]>;
  /** The server's prompts (every page); none when it offers none. */
  prompts(signal?: AbortSignal): Promise<McpPromptInfo[]>;
  getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<McpPromptMessage[]>;
  close(): Promise<void>;
}

/** The transport, and the pid of a stdio server once spawned (kept: the SDK forgets it when it starts closing). */
function transportFor(def: McpServerDef, o: ConnectOptions): { transport: Transport; pid: () => number | undefined } {
  if (def.type === 'stdio') {
    const t = new StdioClientTransport({ command: def.command, args: def.args, env: o.env, cwd: o.cwd, stderr: 'pipe' });
    t.stderr?.on('data', (chunk: Buffer) => o.onStderr(chunk.toString('utf8')));
    let pid: number | undefined;
    const start = t.start.bind(t);
    t.start = async () => {
      await start();
      pid = t.pid ?? undefined;
    };
    return { transport: t, pid: () => pid };
  }
  const url = new URL(def.url);
  const opts = { requestInit: { headers: def.headers }, ...(o.auth && { authProvider: o.auth as unknown as OAuthClientProvider }) };
  const transport = def.type === 'sse' ? new SSEClientTransport(url, opts) : new StreamableHTTPClientTransport(url, opts);
  return { transport, pid: () => undefined };
}

/**
 * The SDK's side of an early session (early-session.ts): the server is initialized already, so the Client's
 * `initialize` is answered with the session's result and its `notifications/initialized` is not sent twice; what
 * the server sends meanwhile waits until the Client is initialized. Closing ends the process like endProcess.
 */
class EarlyTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private open = false;
  private held?: JSONRPCMessage[] = [];

  constructor(
    private readonly session: EarlySession,
    private readonly init: InitializeResult,
  ) {}

  async start(): Promise<void> {
    this.open = true;
    void this.session.process.closed.then(() => {
      if (!this.open) return;
      this.open = false;
      this.onclose?.();
    });
    this.session.attach((raw) => {
      const parsed = JSONRPCMessageSchema.safeParse(raw);
      if (!parsed.success) return this.onerror?.(new Error(`invalid JSON-RPC message: ${parsed.error.message.slice(0, 200)}`));
      if (this.held) this.held.push(parsed.data);
      else this.onmessage?.(parsed.data);
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.open) throw new Error('Not connected');
    if ('method' in message && message.method === 'initialize' && 'id' in message) {
      queueMicrotask(() => this.onmessage?.({ jsonrpc: '2.0', id: message.id, result: this.init as unknown as Record<string, unknown> }));
      return;
    }
    if ('method' in message && message.method === 'notifications/initialized') {
      const held = this.held ?? [];
      this.held = undefined;
      queueMicrotask(() => held.forEach((m) => this.onmessage?.(m)));
      return;
    }
    await this.session.write(message as JsonRpcMessage);
  }

  async close(): Promise<void> {
    const wasOpen = this.open;
    this.open = false;
    await endProcess(this.session.process);
    if (wasOpen) this.onclose?.();
  }
}

/**
 * The SDK's Client over an early session, for what the session does not do itself (calls, resources, prompts);
 * `tools` are the session's list, and later changes come through `o.onToolsChanged`.
 */
export async function attachClient(session: EarlySession, opened: Opened, o: Pick<ConnectOptions, 'onToolsChanged' | 'onClosed'>): Promise<Connection> {
  return open(new EarlyTransport(session, opened.init), () => session.process.child.pid, { ...o, signal: new AbortController().signal }, opened.tools);
}

/** Every page of tools/list; none when the server offers no tools. */
async function listTools(client: Client): Promise<McpToolInfo[]> {
  if (!client.getServerCapabilities()?.tools) return [];
  const tools: McpToolInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

async function listResources(client: Client, signal: AbortSignal): Promise<McpResourceInfo[]> {
  if (!client.getServerCapabilities()?.resources) return [];
  const out: McpResourceInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor ? { cursor } : undefined, { signal });
    out.push(...page.resources);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function listPrompts(client: Client, signal?: AbortSignal): Promise<McpPromptInfo[]> {
  if (!client.getServerCapabilities()?.prompts) return [];
  const out: McpPromptInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listPrompts(cursor ? { cursor } : undefined, { signal });
    out.push(...page.prompts);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Connects (initialize, then tools/list); throws when the server fails, exits or `signal` aborts first. */
export async function connect(def: McpServerDef, o: ConnectOptions): Promise<Connection> {
  const { transport, pid } = transportFor(def, o);
  try {
    return await open(transport, pid, o);
  } catch (err) {
    if (err instanceof UnauthorizedError && o.auth && (transport instanceof StreamableHTTPClientTransport || transport instanceof SSEClientTransport)) {
      throw new NeedsAuthorization((code) => transport.finishAuth(code));
    }
    if ((err as { code?: unknown }).code === 401) throw new Error('the server answered 401 Unauthorized');
    throw err;
  }
}

/** The Client over `transport`: initialize, then `tools` or tools/list; closed again when that fails. */
async function open(transport: Transport, pid: () => number | undefined, o: Pick<ConnectOptions, 'onToolsChanged' | 'onClosed' | 'signal'>, tools?: McpToolInfo[]): Promise<Connection> {
  let closing = false;
  let refresh: () => void = () => {};
  const client = new Client(
    { name: 'glm-code', version: GLM_VERSION },
    { listChanged: { tools: { autoRefresh: false, debounceMs: 50, onChanged: () => refresh() } } },
  );
  client.onclose = () => {
    if (!closing) o.onClosed();
  };
  const close = async () => {
    closing = true;
    await closeTransport(client, pid());
  };
  try {
    await client.connect(transport, { signal: o.signal, timeout: 24 * 3600_000 });
    const caps = client.getServerCapabilities();
    const conn: Connection = {
      tools: tools ?? (await listTools(client)),
      offers: { resources: Boolean(caps?.resources), prompts: Boolean(caps?.prompts) },
      call: (tool, args, signal) =>
        client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: CALL_TIMEOUT_MS, resetTimeoutOnProgress: true, onprogress: () => {} }) as Promise<McpCallResult>,
      resources: (signal) => listResources(client, signal),
      readResource: async (uri, signal) => (await client.readResource({ uri }, { signal, timeout: CALL_TIMEOUT_MS })).contents,
      prompts: (signal) => listPrompts(client, signal),
      getPrompt: async (name, args, signal) => (await client.getPrompt({ name, arguments: args }, { signal, timeout: CALL_TIMEOUT_MS })).messages,
      close,
    };
    refresh = () => {
      listTools(client).then(
        (tools) => {
          conn.tools = tools;
          o.onToolsChanged(tools);
        },
        () => {},
      );
    };
    return conn;
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

/** Closes the client; a stdio server that does not exit once its stdin closes gets SIGTERM, then SIGKILL. */
async function closeTransport(client: Client, pid: number | undefined): Promise<void> {
  const timers: NodeJS.Timeout[] = [];
  if (pid) {
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    };
    timers.push(setTimeout(() => kill('SIGTERM'), EXIT_GRACE_MS), setTimeout(() => kill('SIGKILL'), EXIT_GRACE_MS + TERM_GRACE_MS));
  }
  try {
    await client.close();
    if (pid) await exited(pid, EXIT_GRACE_MS + TERM_GRACE_MS + 500);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

/** Resolves once process `pid` is gone (polled; it may not be our child any more), or after `ms`. */
async function exited(pid: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
