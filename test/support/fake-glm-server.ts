// A real HTTP/SSE server that speaks like Z.ai (and OpenRouter / vLLM) for tests: scripted replies in the
// exact wire shapes of ../shared/glm-protocol.md §5, fault injection, and checks on every request it gets.
// Runs inside the test process on 127.0.0.1 with an ephemeral port; serves any number of requests.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { emitStream, type Fault, type Profile, type StreamPlan } from './sse.ts';

export type { Profile } from './sse.ts';

type Json = Record<string, unknown>;

export interface TextOptions {
  reasoning?: string;
  /** Characters per content/reasoning chunk (default 8). */
  chunkSize?: number;
  /** Pause before each event, ms (default 0). */
  delayMs?: number;
  /** finish_reason to end with (default "stop"). */
  finish?: string;
  /** Raw usage object to send instead of the computed one; null sends none. */
  usage?: Json | null;
  profile?: Profile;
}

export interface FakeToolCall {
  name: string;
  arguments: Json | string;
  /** Tool-call id (default `call_<24 hex>`). */
  id?: string;
}

export interface ToolCallOptions extends Omit<TextOptions, 'finish'> {
  content?: string;
  /** tool_stream style: id/name first with empty arguments, then argument fragments. Default: whole call in one delta. */
  split?: boolean;
  /** After split fragments, repeat the complete arguments once more (a buggy server's cumulative final delta). */
  duplicateFinal?: boolean;
  /** finish_reason (default "tool_calls"). */
  finish?: string;
}

export type ReplyStep =
  | { kind: 'stream'; plan: StreamPlan }
  | { kind: 'sse'; raw: string; chunkBytes?: number; delayMs?: number; holdOpenMs?: number }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> };

export interface RequestInfo {
  path: string;
  /** The body exactly as received. */
  raw: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** 0-based number of this request. */
  index: number;
}

/** A scripted reply, or a function computing one from the request. */
export type Step = ReplyStep | ((body: any, request: RequestInfo) => ReplyStep);

export interface FakeGlmOptions {
  /** Emission profile for generated streams (default "zai-2026"). */
  profile?: Profile;
  /** Answer requests that break the protocol rules with HTTP 400 like Z.ai (default false: record only). */
  strict?: boolean;
}

export interface FakeGlm {
  /** Base URL of the pay-as-you-go path: `http://127.0.0.1:PORT/api/paas/v4`. */
  url: string;
  /** `http://127.0.0.1:PORT/api/coding/paas/v4`. */
  codingUrl: string;
  /** `http://127.0.0.1:PORT/v1` (OpenRouter / vLLM style). */
  v1Url: string;
  port: number;
  /** Every parsed request body received, in order. */
  requests: any[];
  /** Path, headers and body of every request, in order. */
  calls: RequestInfo[];
  /** Protocol rules the requests broke, each prefixed with the request number. */
  violations: string[];
  /** Bodies and headers of POST …/web_search requests (Z.ai's web search API, §14.2). */
  searches: RequestInfo[];
  /** Queues answers for …/web_search: a status and a JSON body each (default: an empty search_result). */
  replySearch(...answers: { status: number; body: unknown }[]): void;
  /** Queue replies, consumed one per request. */
  reply(...steps: Step[]): void;
  /** Replies still queued. */
  pending(): number;
  /** Forget queued replies, recorded requests and violations (between tests sharing one server). */
  reset(): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

const PATHS = new Set(['/api/paas/v4/chat/completions', '/api/coding/paas/v4/chat/completions', '/v1/chat/completions']);

// ---- step builders ----

export function text(answer: string, opts: TextOptions = {}): ReplyStep {
  return streamStep(answer, opts, opts.finish ?? 'stop');
}

function streamStep(content: string, opts: TextOptions, finishReason: string, fault?: Fault): ReplyStep {
  const { reasoning = '', ...rest } = opts;
  return { kind: 'stream', plan: { ...rest, content, reasoning, toolCalls: [], finish: finishReason, fault } };
}

export function toolCalls(calls: FakeToolCall[], opts: ToolCallOptions = {}): ReplyStep {
  const planned = calls.map((c) => ({
    id: c.id,
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }));
  const { content = '', reasoning = '', finish: finishReason = 'tool_calls', ...rest } = opts;
  return { kind: 'stream', plan: { ...rest, content, reasoning, toolCalls: planned, finish: finishReason } };
}

/**
 * Replay raw SSE text byte for byte (e.g. a fixture file), optionally cut into `chunkBytes` writes, with
 * `delayMs` between writes, keeping the connection open `holdOpenMs` afterwards (a server that never closes).
 */
export function sse(raw: string, opts: { chunkBytes?: number; delayMs?: number; holdOpenMs?: number } = {}): ReplyStep {
  return { kind: 'sse', raw, ...opts };
}

/** An HTTP error with a JSON (object) or raw (string) body. */
export function error(status: number, body: unknown, headers?: Record<string, string>): ReplyStep {
  return { kind: 'error', status, body, headers };
}

type FaultOptions = Omit<TextOptions, 'finish'> & { content?: string };

/** Stream some text, then finish with `reason` (network_error, sensitive, length, …). */
export function finish(reason: string, opts: FaultOptions = {}): ReplyStep {
  return streamStep(opts.content ?? 'Partial answer', opts, reason);
}

/** Stream some text, then close the socket with no finish and no [DONE]. */
export function dropBeforeDone(opts: FaultOptions = {}): ReplyStep {
  return streamStep(opts.content ?? 'Partial answer', opts, 'stop', { type: 'drop' });
}

/** Send one chunk, then go silent for `ms` (then drop the connection). */
export function idle(ms: number, opts: FaultOptions = {}): ReplyStep {
  return streamStep(opts.content ?? 'Partial', opts, 'stop', { type: 'idle', ms });
}

/** Send a chunk, then the corrupt concatenated line of opencode#8431, then the rest of a normal answer. */
export function corruptLine(opts: FaultOptions = {}): ReplyStep {
  return streamStep(opts.content ?? 'Partial answer', opts, 'stop', { type: 'corrupt' });
}

// ---- request checks ----

const ZAI_PARAMS = new Set([
  'model', 'messages', 'tools', 'tool_choice', 'stream', 'stream_options', 'tool_stream', 'thinking',
  'reasoning_effort', 'max_tokens', 'temperature', 'top_p', 'do_sample', 'stop', 'seed', 'response_format',
  'request_id', 'user_id',
]);

function isValidJsonText(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

function checkAssistant(m: any, at: number, zai: boolean, out: string[]): string[] {
  if (zai && typeof m.reasoning_content !== 'string') {
    out.push(`messages[${at}] (assistant) has no reasoning_content: Z.ai wants it on every assistant message`);
  }
  const ids: string[] = [];
  for (const [i, call] of (Array.isArray(m.tool_calls) ? m.tool_calls : []).entries()) {
    const where = `messages[${at}].tool_calls[${i}]`;
    if (typeof call?.id !== 'string' || call.id === '') out.push(`${where} has no id`);
    if (call?.type !== 'function') out.push(`${where}.type is not "function"`);
    if (typeof call?.function?.name !== 'string' || call.function.name === '') out.push(`${where} has no function.name`);
    if (!isValidJsonText(call?.function?.arguments)) out.push(`${where}.function.arguments is not a valid JSON string`);
    ids.push(String(call?.id));
  }
  return ids;
}

/** GLM models that take images (§14.1); any other model answers "does not support image input". */
const VISION_MODELS = /^(z-ai\/)?glm-(4\.5v|4\.6v(-flashx?)?|5v-turbo)$/i;

/** A user message's content: a string, or text and image_url parts with data: or https: URLs (§14.1). */
function checkUserContent(m: any, at: number, model: unknown, out: string[]): void {
  if (typeof m.content === 'string') return;
  if (!Array.isArray(m.content)) return void out.push(`messages[${at}] (user) content is neither a string nor a list of parts`);
  m.content.forEach((part: any, i: number) => {
    const where = `messages[${at}].content[${i}]`;
    if (part?.type === 'text') {
      if (typeof part.text !== 'string') out.push(`${where} (text) has no text`);
    } else if (part?.type === 'image_url') {
      const url = part.image_url?.url;
      if (typeof url !== 'string' || !/^(data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+|https:\/\/.+)$/.test(url)) out.push(`${where}.image_url.url is not a data: URI or https URL`);
      if (!VISION_MODELS.test(String(model))) out.push(`${where}: model ${String(model)} does not support image input`);
    } else out.push(`${where} has unknown type ${JSON.stringify(part?.type)}`);
  });
}

/** Protocol rules a real server enforces (or silently suffers from). Returns what the request broke. */
export function checkRequest(path: string, body: any): string[] {
  const out: string[] = [];
  const zai = path.startsWith('/api/');
  if (zai) {
    for (const key of Object.keys(body ?? {})) if (!ZAI_PARAMS.has(key)) out.push(`unknown parameter "${key}" (Z.ai answers 1210)`);
  }
  if (body?.tool_stream !== undefined && body?.stream !== true) out.push('tool_stream without stream:true');
  if (!Array.isArray(body?.messages)) return [...out, 'messages is not an array'];
  let expected: string[] = [];
  body.messages.forEach((m: any, at: number) => {
    if (m?.role === 'tool') {
      const want = expected.shift();
      if (want === undefined) out.push(`messages[${at}] is a tool result with no pending tool call`);
      else if (m.tool_call_id !== want) out.push(`messages[${at}].tool_call_id is ${JSON.stringify(m.tool_call_id)}, expected ${JSON.stringify(want)} (results in call order)`);
      if (typeof m.content !== 'string') out.push(`messages[${at}] (tool) content is not a string`);
      return;
    }
    if (expected.length > 0) out.push(`messages[${at}]: tool calls ${expected.join(', ')} were never answered`);
    expected = [];
    if (m?.role === 'assistant') expected = checkAssistant(m, at, zai, out);
    else if (m?.role === 'user') checkUserContent(m, at, body.model, out);
    else if (m?.role !== 'system') out.push(`messages[${at}] has unknown role ${JSON.stringify(m?.role)}`);
  });
  if (expected.length > 0) out.push(`the last assistant tool calls ${expected.join(', ')} were never answered`);
  return out;
}

// ---- the server ----

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  res.end(payload);
}

async function writeRaw(res: http.ServerResponse, step: Extract<ReplyStep, { kind: 'sse' }>): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8', 'Cache-Control': 'no-cache' });
  const bytes = Buffer.from(step.raw, 'utf8');
  const pieces: Buffer[] = [];
  if (step.chunkBytes && step.chunkBytes > 0) {
    for (let i = 0; i < bytes.length; i += step.chunkBytes) pieces.push(bytes.subarray(i, i + step.chunkBytes));
  } else {
    // One write per event, so the client sees a real stream.
    for (const event of step.raw.split(/(?<=\n\n)/)) pieces.push(Buffer.from(event, 'utf8'));
  }
  for (const piece of pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await new Promise((r) => setTimeout(r, step.delayMs ?? 0));
  }
  if (step.holdOpenMs) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, step.holdOpenMs);
      res.once('close', () => (clearTimeout(timer), resolve()));
    });
  }
  res.end();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeGlm(options: FakeGlmOptions = {}): Promise<FakeGlm> {
  const queue: Step[] = [];
  const requests: any[] = [];
  const calls: RequestInfo[] = [];
  const violations: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const searches: RequestInfo[] = [];
  const searchQueue: { status: number; body: unknown }[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    const raw = await readBody(req);
    if (req.method === 'POST' && (path === '/api/paas/v4/web_search' || path === '/api/coding/paas/v4/web_search')) {
      searches.push({ path, raw, headers: req.headers, body: JSON.parse(raw || 'null'), index: searches.length });
      // Coding Plan keys get 1113 on the search API (§14.2); the test decides by queuing that answer.
      const answer = searchQueue.shift() ?? { status: 200, body: { search_result: [], request_id: 'fake' } };
      return sendJson(res, answer.status, answer.body);
    }
    if (req.method !== 'POST' || !PATHS.has(path)) {
      violations.push(`${req.method} ${path}: not a chat completions path`);
      return sendJson(res, 404, { error: { code: '404', message: `fake GLM server: no route ${req.method} ${path}` } });
    }
    const index = calls.length;
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      violations.push(`#${index}: body is not JSON`);
      return sendJson(res, 400, { error: { code: '1214', message: 'fake GLM server: request body is not JSON' } });
    }
    const info: RequestInfo = { path, raw, headers: req.headers, body, index };
    requests.push(body);
    calls.push(info);
    for (const w of waiters.filter((w) => calls.length >= w.count)) w.resolve();
    const broken = checkRequest(path, body);
    violations.push(...broken.map((v) => `#${index}: ${v}`));
    if (options.strict && broken.length > 0) {
      return sendJson(res, 400, { error: { code: '1214', message: `fake GLM server (strict): ${broken.join('; ')}` } });
    }
    const next = queue.shift();
    if (next === undefined) {
      const message = `fake GLM server: the test script ran out of replies at request #${index} (queue more with fake.reply(...))`;
      return sendJson(res, 500, { error: { code: '500', message } }, { 'x-should-retry': 'false' });
    }
    const step = typeof next === 'function' ? next(body, info) : next;
    if (step.kind === 'error') return sendJson(res, step.status, step.body, step.headers);
    if (step.kind === 'sse') return writeRaw(res, step);
    return emitStream(res, step.plan, { profile: step.plan.profile ?? options.profile ?? 'zai-2026', body });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      violations.push(`server error: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) sendJson(res, 500, { error: { code: '500', message: 'fake GLM server crashed' } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/api/paas/v4`,
    codingUrl: `${origin}/api/coding/paas/v4`,
    v1Url: `${origin}/v1`,
    port,
    requests,
    calls,
    violations,
    searches,
    replySearch: (...answers) => void searchQueue.push(...answers),
    reply: (...steps) => void queue.push(...steps),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      calls.length = 0;
      violations.length = 0;
      searches.length = 0;
      searchQueue.length = 0;
    },
    waitForRequests: (count) =>
      calls.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
