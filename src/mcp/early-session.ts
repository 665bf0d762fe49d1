// A stdio MCP server's opening exchange without the SDK. `glm -p` spawns its servers first thing (spawn.ts) and
// this writes `initialize` at once, then `notifications/initialized` and `tools/list`, so a run learns the tools
// without loading the SDK and zod: about 200 ms of a core that would otherwise compete with the servers' own
// start, and that a run which never calls an MCP tool never pays. The SDK's Client attaches over the same pipes
// when something needs it (a call, resources, prompts: client.ts attachClient); its `initialize` is then answered
// with the one this session got (the server is initialized once). Until then this answers `ping`, refuses other
// requests as the SDK would (no capability was offered for them) and follows `notifications/tools/list_changed`.
// Light on purpose: no SDK import (protocol versions are pinned against the SDK's by test/mcp/early-session.test.ts).
import type { ServerProcess } from './spawn.ts';
import type { McpToolInfo } from './tools.ts';

/** The SDK's LATEST_PROTOCOL_VERSION and SUPPORTED_PROTOCOL_VERSIONS (what its Client would send and accept). */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';
export const SUPPORTED_PROTOCOL_VERSIONS = [LATEST_PROTOCOL_VERSION, '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
/** As the SDK's stdio ReadBuffer: a server that sends more than this without a newline has broken the framing. */
const MAX_BUFFER = 10 * 1024 * 1024;
/** As client.ts asks of the SDK: list_changed notifications in a burst cause one tools/list. */
const LIST_CHANGED_DEBOUNCE_MS = 50;
const ID_PREFIX = 'glm-early-';

export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
}

export interface InitializeResult {
  protocolVersion: string;
  capabilities: { tools?: object; resources?: object; prompts?: object } & Record<string, unknown>;
  serverInfo?: unknown;
  instructions?: string;
}

export interface Opened {
  init: InitializeResult;
  tools: McpToolInfo[];
}

/** Why a request failed: the server's JSON-RPC error, worded as the SDK's McpError is. */
class ServerError extends Error {}

export class EarlySession {
  /** Settles once `initialize` and every page of `tools/list` are answered, or the server failed or exited first. */
  readonly opened: Promise<Opened>;
  /** The tool list after a `notifications/tools/list_changed` (while no client is attached). */
  onToolsChanged?: (tools: McpToolInfo[]) => void;
  private readonly pending = new Map<string, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  /** Received bytes of a line not yet complete. */
  private parts: Buffer[] = [];
  private size = 0;
  private exited?: Error;
  /** The attached client's receiver: from then on every message but the answers to this session's requests goes there. */
  private client?: (message: JsonRpcMessage) => void;
  private relist?: NodeJS.Timeout;

  constructor(
    readonly process: ServerProcess,
    clientInfo: { name: string; version: string },
  ) {
    const { child } = process;
    child.stdout?.on('data', (chunk: Buffer) => this.read(chunk));
    void process.closed.then(() => this.end(new ServerError('MCP error -32000: Connection closed')));
    this.opened = this.open(clientInfo);
    this.opened.catch(() => {});
  }

  private async open(clientInfo: { name: string; version: string }): Promise<Opened> {
    // Written at once, before the process has even reported its start: the pipe holds it until the server reads.
    const answer = this.request('initialize', { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo });
    answer.catch(() => {});
    await this.process.spawned;
    const init = (await answer) as unknown as InitializeResult;
    if (!init || typeof init.protocolVersion !== 'string' || typeof init.capabilities !== 'object' || init.capabilities === null) {
      throw new Error(`Server sent invalid initialize result: ${JSON.stringify(init)?.slice(0, 200)}`);
    }
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(init.protocolVersion)) throw new Error(`Server's protocol version is not supported: ${init.protocolVersion}`);
    this.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return { init, tools: init.capabilities.tools ? await this.listTools() : [] };
  }

  /** Every page of tools/list. */
  async listTools(): Promise<McpToolInfo[]> {
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.request('tools/list', cursor ? { cursor } : undefined);
      if (!Array.isArray(page.tools) || !page.tools.every(isTool)) throw new Error('Server sent an invalid tools/list result');
      tools.push(...(page.tools as McpToolInfo[]));
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
    } while (cursor);
    return tools;
  }

  /**
   * Hands the connection to a client (client.ts's transport): `receive` gets every message from now on, except the
   * answers to requests this session still waits for.
   */
  attach(receive: (message: JsonRpcMessage) => void): void {
    this.client = receive;
  }

  /**
   * Writes one message to the server's stdin (newline-delimited JSON, as the SDK frames it). An answer to the
   * server's request while its stdin is full is dropped: a server that floods requests and reads none of the answers
   * would otherwise pile them up in glm's memory (and a drain listener each) for as long as the run lasts.
   */
  write(message: JsonRpcMessage): Promise<void> {
    const stdin = this.process.child.stdin;
    if (this.exited || !stdin || stdin.destroyed) return Promise.reject(new Error('Not connected'));
    if (message.method === undefined && stdin.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => (stdin.write(JSON.stringify(message) + '\n') ? resolve() : stdin.once('drain', resolve)));
  }

  private request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = `${ID_PREFIX}${this.nextId++}`;
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      this.pending.set(id, { resolve, reject });
      this.write({ jsonrpc: '2.0', id, method, ...(params && { params }) }).catch((e) => {
        this.pending.delete(id);
        reject(e);
      });
    });
  }

  private read(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > MAX_BUFFER) {
      this.parts = [];
      this.end(new Error(`ReadBuffer exceeded maximum size of ${MAX_BUFFER} bytes`));
      this.process.child.kill('SIGTERM');
      return;
    }
    this.parts.push(chunk);
    if (!chunk.includes(10)) return; // joined only once a line is complete: a long line costs no repeated copies
    let buffer = Buffer.concat(this.parts);
    for (let i = buffer.indexOf(10); i >= 0; i = buffer.indexOf(10)) {
      const line = buffer.toString('utf8', 0, i).replace(/\r$/, '');
      buffer = buffer.subarray(i + 1);
      let message: JsonRpcMessage;
      try {
        message = JSON.parse(line);
      } catch {
        continue; // as the SDK's transport: a line that is not JSON-RPC is skipped
      }
      if (message && typeof message === 'object') this.receive(message);
    }
    this.parts = buffer.length ? [buffer] : [];
    this.size = buffer.length;
  }

  private receive(message: JsonRpcMessage): void {
    const mine = typeof message.id === 'string' && message.id.startsWith(ID_PREFIX) && message.method === undefined;
    if (mine) {
      const waiter = this.pending.get(message.id as string);
      this.pending.delete(message.id as string);
      if (message.error) waiter?.reject(new ServerError(`MCP error ${message.error.code}: ${message.error.message}`));
      else waiter?.resolve(message.result ?? {});
      return;
    }
    if (this.client) return this.client(message);
    if (message.method === undefined) return; // an answer to no request of ours
    if (message.id !== undefined) {
      // A request before any client is attached: only ping is ours to answer (no capability offered others).
      void this.write(
        message.method === 'ping'
          ? { jsonrpc: '2.0', id: message.id, result: {} }
          : { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } },
      ).catch(() => {});
      return;
    }
    if (message.method === 'notifications/tools/list_changed') this.toolsChanged();
  }

  private toolsChanged(): void {
    clearTimeout(this.relist);
    this.relist = setTimeout(() => {
      void this.opened
        .then(() => this.listTools())
        .then(
          (tools) => this.onToolsChanged?.(tools),
          () => {},
        );
    }, LIST_CHANGED_DEBOUNCE_MS);
    this.relist.unref();
  }

  private end(why: Error): void {
    if (this.exited) return;
    this.exited = why;
    clearTimeout(this.relist);
    for (const waiter of this.pending.values()) waiter.reject(why);
    this.pending.clear();
  }
}

/** The checks of the SDK's ListToolsResultSchema that matter here: a name, an object schema, text where text goes. */
function isTool(t: unknown): boolean {
  if (typeof t !== 'object' || t === null) return false;
  const { name, title, description, inputSchema } = t as Record<string, unknown>;
  const text = (v: unknown) => v === undefined || typeof v === 'string';
  return typeof name === 'string' && text(title) && text(description) && typeof inputSchema === 'object' && inputSchema !== null && !Array.isArray(inputSchema);
}
