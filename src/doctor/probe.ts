// One raw streaming request for `glm doctor`: sends exactly the body glm-code would send (the dialect's builder)
// with fetch, and records what came back field by field, before any of the client's recovery hides it.
// Imports the model's body builder and error classifier, never the openai SDK, the loop or a UI.

import { buildRequestBody } from '../model/dialects/index.ts';
import { causeText, classifyHttpError, parseBody, type ClassifiedError } from '../model/errors.ts';
import type { Config, ModelRequest } from '../types.ts';

export interface ProbeRequest {
  request: ModelRequest;
  thinking: boolean;
  maxTokens: number;
  /** Stop reading once this is true of what arrived (the doctor needs a look, not the whole answer). */
  enough?: (seen: Observation) => boolean;
}

export interface Observation {
  /** HTTP status; undefined when no response arrived at all. */
  status?: number;
  /** Why no usable response came: a connection failure or the time limit. */
  transportError?: string;
  /** The time limit ended the probe (possibly mid-stream). */
  timedOut?: boolean;
  /** A classified HTTP error (non-2xx). */
  httpError?: ClassifiedError;
  contentType?: string;
  /** Parsed `data:` chunks. */
  chunks: number;
  /** `data:` lines that were not JSON. */
  corrupt: number;
  done: boolean;
  finishReason?: string;
  /** Which reasoning fields carried text. */
  reasoningFields: Set<'reasoning_content' | 'reasoning' | 'reasoning_details'>;
  reasoning: string;
  content: string;
  toolCalls: { name: string; arguments: string }[];
  firstByteMs?: number;
  ms: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const emptyObservation = (): Observation => ({ chunks: 0, corrupt: 0, done: false, reasoningFields: new Set(), reasoning: '', content: '', toolCalls: [], ms: 0 });

function readDelta(seen: Observation, delta: Obj): void {
  for (const field of ['reasoning_content', 'reasoning'] as const) {
    const text = str(delta[field]);
    if (text) seen.reasoningFields.add(field);
  }
  const details = Array.isArray(delta.reasoning_details) ? delta.reasoning_details : [];
  const detailText = details.map((d) => (isObj(d) ? str(d.text) || str(d.summary) : '')).join('');
  if (detailText) seen.reasoningFields.add('reasoning_details');
  seen.reasoning += str(delta.reasoning_content) || str(delta.reasoning) || detailText;
  seen.content += str(delta.content);
  for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
    if (!isObj(call)) continue;
    const fn = isObj(call.function) ? call.function : {};
    const calls = seen.toolCalls;
    const at = typeof call.index === 'number' ? call.index : str(fn.name) || calls.length === 0 ? calls.length : calls.length - 1;
    const slot = (calls[at] ??= { name: '', arguments: '' });
    if (str(fn.name)) slot.name = str(fn.name);
    slot.arguments += str(fn.arguments);
  }
}

function readLine(seen: Observation, line: string): void {
  if (!line.startsWith('data:')) return;
  const payload = line.slice(5).trim();
  if (payload === '[DONE]') return void (seen.done = true);
  let chunk: unknown;
  try {
    chunk = JSON.parse(payload);
  } catch {
    seen.corrupt++;
    return;
  }
  if (!isObj(chunk)) return;
  seen.chunks++;
  for (const choice of Array.isArray(chunk.choices) ? chunk.choices : []) {
    if (!isObj(choice)) continue;
    if (isObj(choice.delta)) readDelta(seen, choice.delta);
    if (str(choice.finish_reason)) seen.finishReason = str(choice.finish_reason);
  }
}

async function readStream(response: Response, seen: Observation, started: number, enough?: (s: Observation) => boolean): Promise<void> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen.firstByteMs ??= Date.now() - started;
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? '';
      for (const line of lines) readLine(seen, line);
      if (seen.done || enough?.(seen)) break;
    }
    if (buffer) readLine(seen, buffer);
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Sends one probe and observes it until it ends, `enough` says so, or the signal fires. Never throws. */
export async function probe(config: Config, p: ProbeRequest, signal: AbortSignal): Promise<Observation> {
  const seen = emptyObservation();
  const started = Date.now();
  const body = buildRequestBody(config.dialect, p.request, {
    model: config.model,
    modelInfo: config.modelInfo,
    thinking: p.thinking,
    reasoningEffort: config.reasoningEffort,
    maxTokens: p.maxTokens,
    temperature: config.temperature,
  });
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  if (config.apiKey) headers.Authorization = `Bearer ${config.apiKey}`;
  try {
    const url = `${config.baseURL.replace(/\/+$/, '')}/chat/completions`;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    seen.status = response.status;
    seen.contentType = response.headers.get('content-type') ?? undefined;
    if (!response.ok) {
      const body = parseBody(await response.text());
      seen.httpError = classifyHttpError({ status: response.status, body, headers: response.headers }, { provider: config.provider, baseURL: config.baseURL });
    } else if (response.body) await readStream(response, seen, started, p.enough);
  } catch (err) {
    seen.timedOut = signal.aborted;
    seen.transportError = signal.aborted ? 'no answer before the time limit' : transportText(err, config.baseURL);
  }
  seen.ms = Date.now() - started;
  return seen;
}

/** Why no connection was made; a port fetch refuses outright (6000, 6665-6669, …) is named as such. */
function transportText(err: unknown, baseURL: string): string {
  const text = causeText(err);
  if (text !== 'bad port') return text;
  const url = new URL(baseURL);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `port ${port} is a blocked port: Node's fetch refuses to connect to it (as browsers do), so nothing was sent`;
}

export interface ServedModels {
  ids: string[];
  /** vLLM's `max_model_len` (or a `context_length`) of the configured model, when the server tells. */
  contextWindow?: number;
}

/** `GET {baseURL}/models` on a self-hosted server; undefined when it has no such list. Never throws. */
export async function listModels(config: Config, signal: AbortSignal): Promise<ServedModels | undefined> {
  const headers: Record<string, string> = config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {};
  try {
    const response = await fetch(`${config.baseURL.replace(/\/+$/, '')}/models`, { headers, signal });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    const data = isObj(body) && Array.isArray(body.data) ? body.data.filter(isObj) : [];
    const ids = data.map((m) => str(m.id)).filter(Boolean);
    if (ids.length === 0) return undefined;
    const entry = data.find((m) => m.id === config.model);
    const limit = entry ? (entry.max_model_len ?? entry.context_length) : undefined;
    return typeof limit === 'number' && limit > 0 ? { ids, contextWindow: limit } : { ids };
  } catch {
    return undefined;
  }
}
