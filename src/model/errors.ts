// Classifies a failed request (HTTP error body, SDK error, stream failure) into a ModelErrorKind, a message
// for the user, and whether to retry. Z.ai business codes per glm-protocol.md §6. Imports only ../types.ts.

import type { ModelErrorKind, ProviderId } from '../types.ts';

export interface ClassifiedError {
  kind: ModelErrorKind;
  message: string;
  retryable: boolean;
  code?: string;
  status?: number;
  requestId?: string;
  /** From `retry-after-ms` / `retry-after`, when the server said how long to wait. */
  retryAfterMs?: number;
  /**
   * No connection could be made. 'down': refused or no such host, which a retry seconds later will not change,
   * so it fails at once; 'maybe': a failure that can pass (DNS not answering, no route, connect timeout),
   * retried unless the client says otherwise (retryUnreachable).
   */
  unreachable?: 'down' | 'maybe';
}

export interface ErrorContext {
  provider: ProviderId;
  baseURL: string;
}

/** What we know about an HTTP or in-stream error. */
export interface ErrorFacts {
  status?: number;
  /** Parsed body (the whole body, not the SDK's inner `error` object) or its raw text. */
  body?: unknown;
  headers?: Headers;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const LABELS: Record<ProviderId, string> = {
  zai: 'Z.ai',
  'zai-coding': 'Z.ai',
  bigmodel: 'BigModel',
  'bigmodel-coding': 'BigModel',
  openrouter: 'OpenRouter',
  vllm: 'vLLM',
  sglang: 'SGLang',
  ollama: 'Ollama',
  llamacpp: 'llama.cpp',
  'openai-compatible': 'The model server',
};

export const providerLabel = (provider: ProviderId): string => LABELS[provider];

const RETRYABLE_CODES = new Set(['1302', '1303', '1305', '1312']);
const QUOTA_CODES = new Set(['1113', '1304', '1308', '1309', '1310', '1311', '1313']);
const CONTEXT_TEXT = /context[ _-]?(length|window|size)|too long|maximum.{0,30}tokens|token limit|exceeds.{0,30}(context|tokens)/i;

function codeKind(code: string): ModelErrorKind | 'retry' | undefined {
  if (RETRYABLE_CODES.has(code)) return 'retry';
  if (QUOTA_CODES.has(code)) return 'quota';
  const n = Number(code);
  if (n >= 1000 && n <= 1004) return 'auth';
  if ([1100, 1110, 1111, 1112, 1120, 1121].includes(n)) return 'auth';
  if (n >= 1210 && n <= 1215) return 'bad_request';
  if ([1220, 1221, 1222, 1231].includes(n)) return 'bad_request';
  if (n === 1261) return 'context';
  if (n === 1300 || n === 1301) return 'sensitive';
  return undefined;
}

function statusKind(status: number | undefined, message: string): ModelErrorKind | 'retry' {
  if (status === undefined) return 'retry';
  if (status === 401 || status === 403) return 'auth';
  if (status === 413) return 'bad_request';
  if (status === 400) return CONTEXT_TEXT.test(message) ? 'context' : 'bad_request';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'other';
}

/** An HTTP error body as JSON when it is JSON, else its text. */
export function parseBody(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Codes of errors that mean no connection could be made at all (as opposed to one that broke). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Of those, the ones that say the server is not there, and what to do about it. */
const DOWN: Record<string, string> = {
  ECONNREFUSED: 'nothing is listening there; start the server or fix the base URL',
  ENOTFOUND: 'no such host; fix the base URL',
};

/** The code in `err` (or its cause chain) that says the server could not be reached: refused, unknown host … */
export function unreachableCode(err: unknown): string | undefined {
  let at: unknown = err;
  for (let depth = 0; depth < 6 && at instanceof Error; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    at = at.cause;
  }
  return undefined;
}

/** How an unreachable server failed (see ClassifiedError.unreachable), and what to do about a server that is down. */
export function unreachableKind(code: string): { unreachable: 'down' | 'maybe'; hint: string } {
  const why = Object.hasOwn(DOWN, code) ? DOWN[code] : undefined;
  return why ? { unreachable: 'down', hint: `: ${why}` } : { unreachable: 'maybe', hint: '' };
}

/** The innermost cause of an error chain, e.g. `connect ECONNREFUSED 127.0.0.1:1` rather than `fetch failed`. */
export function causeText(err: unknown): string {
  let at: unknown = err;
  for (let depth = 0; depth < 5 && at instanceof Error && at.cause !== undefined; depth++) at = at.cause;
  if (at instanceof Error) return at.message || String((at as { code?: unknown }).code ?? at.name);
  return String(at);
}

/** An error body that is a web page (a proxy's 413 or 502 page): never shown raw, only its title. */
function pageText(text: string): string | undefined {
  if (!/^\s*<(!doctype\s+html|html|head|body|title|center|h1)\b/i.test(text)) return undefined;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  return title ? `an HTML page ("${title.slice(0, 100)}")` : 'an HTML page';
}

/** `error.code`, then top-level `code` (string or number); message likewise; `request_id` top-level. */
export function readErrorBody(body: unknown): { code?: string; message?: string; requestId?: string } {
  if (typeof body === 'string') return body.trim() ? { message: pageText(body) ?? body.trim().slice(0, 500) } : {};
  if (!isObj(body)) return {};
  const inner = isObj(body.error) ? body.error : undefined;
  const anthropicType = typeof inner?.type === 'string' && /^\d+$/.test(inner.type) ? inner.type : undefined;
  const rawCode = inner?.code ?? body.code ?? anthropicType;
  const code = rawCode === undefined || rawCode === null || rawCode === '' ? undefined : String(rawCode);
  const rawMessage = inner?.message ?? body.message ?? (typeof body.error === 'string' ? body.error : undefined);
  const message = typeof rawMessage === 'string' ? rawMessage : undefined;
  const rid = body.request_id ?? inner?.request_id;
  const requestId = typeof rid === 'string' && rid !== '' ? rid : undefined;
  return { code, message, requestId };
}

/** Milliseconds from `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function quotaHint(code: string, provider: ProviderId): string {
  if (code !== '1113') return '';
  const family = provider.startsWith('bigmodel') ? 'bigmodel' : 'zai';
  if (provider.endsWith('-coding')) {
    return ` This means insufficient balance or no resource package — or a pay-as-you-go key used on the Coding Plan endpoint (use --provider ${family}).`;
  }
  return ` This means insufficient balance or no resource package — or a Coding Plan key used on the pay-as-you-go endpoint (use --provider ${family}-coding).`;
}

/** Z.ai's codes about the key itself: missing, invalid, expired (the others of 1000–1121 are about the account). */
const KEY_CODES = /^100[0-4]$/;

/** Z.ai's code for a model id it does not serve (a typo, or a model of another provider). */
const MODEL_MISSING = '1211';

/** `text` ending as a sentence, so a hint after it reads as one ("Invalid API key. Check …", not "key Check"). */
const endSentence = (text: string): string => (/[.!?。！？]$/.test(text) ? text : `${text}.`);

function describe(facts: ErrorFacts, code: string | undefined, serverMessage: string, ctx: ErrorContext): string {
  const label = providerLabel(ctx.provider);
  const what = code !== undefined ? `${label} error ${code}` : `${label} returned HTTP ${facts.status ?? '?'}`;
  return serverMessage ? `${what}: ${serverMessage}` : what;
}

/** Classify an HTTP error response or an in-stream `{"error":…}` event. */
export function classifyHttpError(facts: ErrorFacts, ctx: ErrorContext): ClassifiedError {
  const { code, message = '', requestId } = readErrorBody(facts.body);
  let kind = code !== undefined ? codeKind(code) : undefined;
  if (kind === undefined) kind = statusKind(facts.status, message);
  if (code === '500') kind = 'retry';
  const shouldRetry = facts.headers?.get('x-should-retry');
  if (shouldRetry === 'false' && kind === 'retry') kind = facts.status === 429 ? 'rate_limit' : 'other';
  // A proxy's "413 Request Entity Too Large": the client adds the request's size (client.ts).
  if (facts.status === 413 && code === undefined) {
    return { kind: 'bad_request', message: `${providerLabel(ctx.provider)} (${ctx.baseURL}): the request is too large for the server`, retryable: false, status: 413 };
  }
  let text = describe(facts, code, message, ctx);
  if (requestId) text += ` (request ${requestId})`;
  if (code !== undefined && quotaHint(code, ctx.provider)) text = endSentence(text) + quotaHint(code, ctx.provider);
  if (kind === 'auth' && (code === undefined || KEY_CODES.test(code))) text = `${endSentence(text)} Check the API key for this provider.`;
  if (code === MODEL_MISSING) text = `${endSentence(text)} Check the model id (--model, /model or "model" in settings.json).`;
  const retryable = kind === 'retry';
  const limited = facts.status === 429 || RETRYABLE_CODES.has(code ?? '');
  const finalKind: ModelErrorKind = kind !== 'retry' ? kind : limited ? 'rate_limit' : 'network';
  return {
    kind: finalKind,
    message: text,
    retryable,
    code,
    status: facts.status,
    requestId,
    retryAfterMs: retryAfterMs(facts.headers),
  };
}

/** HTTP 200 with a web page instead of an API response: the base URL points at a website. Not retried. */
export function htmlPageError(ctx: ErrorContext): ClassifiedError {
  const message = `${providerLabel(ctx.provider)} (${ctx.baseURL}): the endpoint answered with an HTML page, not an API response — check the base URL`;
  return { kind: 'bad_request', message, retryable: false };
}

/** A transport failure: refused connection, dropped stream, idle timeout, corrupt SSE. Always retryable. */
export function networkError(reason: string, ctx: ErrorContext): ClassifiedError {
  const label = providerLabel(ctx.provider);
  return { kind: 'network', message: `${label} (${ctx.baseURL}): ${reason}`, retryable: true };
}

interface ContextFacts {
  model: string;
  contextWindow: number;
  /** Tokens the request (and its output) took, from usage or estimated from the request's size. */
  usedTokens?: number;
  estimated: boolean;
  /** What the server said, when it explained (a context-length 400). */
  serverMessage?: string;
}

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

/** How full the context is and what to do, in one paragraph for the user. */
export function contextFullMessage(f: ContextFacts): string {
  const window = `${f.model}'s context window of ${thousands(f.contextWindow)} tokens`;
  const used =
    f.usedTokens !== undefined && f.usedTokens > 0
      ? ` (${f.estimated ? 'about ' : ''}${thousands(f.usedTokens)} tokens, ${Math.round((100 * f.usedTokens) / f.contextWindow)}% of it)`
      : '';
  const server = f.serverMessage ? ` ${f.serverMessage}` : '';
  return `The conversation no longer fits ${window}${used}. Start a new session, or use /compact to summarise this one, then try again.${server}`;
}
