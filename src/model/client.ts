// The GLM model client: builds the request for the dialect, runs attempts with our own retry policy and
// per-model concurrency, and yields ModelEvents. The only place that constructs the openai SDK client.

import OpenAI from 'openai';
import type { Config, Dialect, ModelClient, ModelEvent, ModelInfo, ModelRequest, ProviderId } from '../types.ts';
import type { AccumulatedTurn } from './accumulate.ts';
import { runAttempt, type AttemptDeps, type AttemptOutcome } from './attempt.ts';
import { backoffDelay, sleep } from './backoff.ts';
import { buildRequestBody, type Body, type BodySettings } from './dialects/index.ts';
import { contextFullMessage, type ClassifiedError } from './errors.ts';
import { buildAssistantMessage, normaliseFinish, type RepairArguments } from './finish.ts';
import { createTextRecovery, type TextRecovery } from './recover.ts';
import { repairArguments } from './repair-arguments.ts';
import { observingFetch } from './observing-fetch.ts';
import { acquireSlot } from './semaphore.ts';

export interface ModelClientOptions {
  baseURL: string;
  apiKey?: string;
  model: string;
  dialect: Dialect;
  provider: ProviderId;
  modelInfo: ModelInfo;
  thinking: boolean;
  reasoningEffort?: string;
  maxTokens: number;
  temperature?: number;
  /** A stream silent this long is aborted and retried (0: never). Also bounds the wait for headers. */
  idleTimeoutMs: number;
  /** An attempt not finished after this long (a server trickling keep-alives for ever) is aborted and retried (0: never). */
  responseTimeoutMs?: number;
  /** Retries after the first attempt (default 3 in config). */
  maxRetries: number;
  /**
   * A server that is down (connection refused, no such host) always fails at once. false: so does every other
   * failure to connect (DNS not answering, no route, connect timeout) instead of after the retries' backoff
   * (~5 s). The pre-commit review and commit message use it: they must get out of the way when the endpoint is down.
   */
  retryUnreachable?: boolean;
  /** Backoff base; tests pass something tiny. Default 1000 ms. */
  retryBaseDelayMs?: number;
  /** Per-(baseURL, model) in-flight limit shared by the process (Coding Plan); default unlimited. */
  concurrency?: number;
  /** Replaces global fetch (tests of the request body). */
  fetch?: typeof fetch;
  /** Repairs broken tool-call arguments; default `repairArguments` from ./repair-arguments.ts. */
  repairArguments?: RepairArguments;
}

/** The SDK's own deadline for response headers; our idle watchdog normally fires long before. */
const HEADERS_TIMEOUT_MS = 10 * 60_000;

export function createModelClient(options: ModelClientOptions): ModelClient {
  const errorBodies = new WeakMap<Headers, string>();
  const openai = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? 'not-needed',
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: HEADERS_TIMEOUT_MS,
    logLevel: 'off',
    fetch: observingFetch(options.fetch ?? globalThis.fetch, errorBodies),
  });
  const deps: AttemptDeps = {
    openai,
    ctx: { provider: options.provider, baseURL: options.baseURL },
    idleTimeoutMs: options.idleTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    errorBodies,
  };
  const settings: BodySettings = {
    model: options.model,
    modelInfo: options.modelInfo,
    thinking: options.thinking,
    reasoningEffort: options.reasoningEffort,
    maxTokens: options.maxTokens,
    temperature: options.temperature,
  };
  return {
    stream: (request, signal) => streamTurn(options, deps, settings, request, signal),
  };
}

export function createModelClientFromConfig(config: Config, extra: Pick<ModelClientOptions, 'retryUnreachable'> = {}): ModelClient {
  return createModelClient({
    ...extra,
    baseURL: config.baseURL,
    apiKey: config.apiKey,
    model: config.model,
    dialect: config.dialect,
    provider: config.provider,
    modelInfo: config.modelInfo,
    thinking: config.thinking,
    reasoningEffort: config.reasoningEffort,
    maxTokens: config.maxTokens,
    temperature: config.temperature,
    idleTimeoutMs: config.idleTimeoutMs,
    responseTimeoutMs: config.responseTimeoutMs,
    maxRetries: config.maxRetries,
    concurrency: config.concurrency,
  });
}

const ABORTED: ModelEvent = { type: 'error', kind: 'aborted', message: 'The request was cancelled.' };

function finalError(error: ClassifiedError, retries: number): Extract<ModelEvent, { type: 'error' }> {
  const tail = error.retryable && retries > 0 ? ` (gave up after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
  const event: Extract<ModelEvent, { type: 'error' }> = { type: 'error', kind: error.kind, message: error.message + tail };
  if (error.code !== undefined) event.code = error.code;
  if (error.status !== undefined) event.status = error.status;
  if (error.requestId !== undefined) event.requestId = error.requestId;
  return event;
}

/** Tokens a request body takes, roughly (GLM's tokenizer averages 3–4 characters per token on code and prose). */
const estimateTokens = (body: Body): number => Math.ceil(JSON.stringify(body.messages ?? []).length / 3.5 + JSON.stringify(body.tools ?? []).length / 4);

/** A full context window, as an error that says how full it is and what to do. */
function contextError(options: ModelClientOptions, body: Body, turn?: AccumulatedTurn, cause?: ClassifiedError): ModelEvent {
  const reported = turn?.usage ? turn.usage.inputTokens + turn.usage.outputTokens : 0;
  const message = contextFullMessage({
    model: options.model,
    contextWindow: options.modelInfo.contextWindow,
    usedTokens: reported > 0 ? reported : estimateTokens(body),
    estimated: reported <= 0,
    serverMessage: cause?.message,
  });
  if (!cause) return { type: 'error', kind: 'context', message, code: 'model_context_window_exceeded' };
  return { ...finalError(cause, 0), message };
}

/** The end of a finished attempt: held-back text, then `message_end` (or the context error it really is). */
function* finishTurn(options: ModelClientOptions, body: Body, turn: AccumulatedTurn, recovery: TextRecovery): Generator<ModelEvent> {
  const built = buildAssistantMessage(turn, options.repairArguments ?? repairArguments);
  const { events, message } = recovery.end(built, turn.finishReason);
  yield* events;
  const finishReason = normaliseFinish(turn.finishReason, (message.toolCalls?.length ?? 0) > 0);
  if (finishReason === 'model_context_window_exceeded') return yield contextError(options, body, turn);
  yield turn.usage ? { type: 'message_end', message, finishReason, usage: turn.usage } : { type: 'message_end', message, finishReason };
}

function recoveryFor(options: ModelClientOptions, request: ModelRequest): TextRecovery {
  const thinking = options.modelInfo.thinking === 'always' || (options.modelInfo.thinking !== 'none' && options.thinking);
  return createTextRecovery({ dialect: options.dialect, model: options.model, tools: request.tools, thinking });
}

/**
 * One model turn. Yields deltas as they arrive and exactly one terminal event (`message_end` or `error`).
 * Before a retried attempt it yields `retry`: everything yielded since the previous attempt started belongs
 * to the failed attempt and must be discarded by the consumer (the retry starts the whole response over).
 */
async function* streamTurn(
  options: ModelClientOptions,
  deps: AttemptDeps,
  settings: BodySettings,
  request: ModelRequest,
  signal: AbortSignal,
): AsyncGenerator<ModelEvent, void, undefined> {
  let body: Body;
  try {
    body = buildRequestBody(options.dialect, request, settings);
  } catch (e) {
    yield { type: 'error', kind: 'other', message: `Could not build the request: ${e instanceof Error ? e.message : String(e)}` };
    return;
  }
  const maxRetries = Math.max(0, Math.floor(options.maxRetries));
  const key = `${options.baseURL}\u0000${options.model}`;
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return void (yield ABORTED);
    const release = await acquireSlot(key, options.concurrency, signal);
    if (!release) return void (yield ABORTED);
    let outcome: AttemptOutcome;
    const recovery = recoveryFor(options, request);
    try {
      outcome = yield* runAttempt(deps, body, signal, recovery.map);
    } catch (e) {
      const message = `Unexpected error while reading the response: ${e instanceof Error ? e.message : String(e)}`;
      outcome = { type: 'failed', error: { kind: 'other', retryable: false, message } };
    } finally {
      release();
    }
    if (outcome.type === 'aborted') return void (yield ABORTED);
    if (outcome.type === 'finished') return yield* finishTurn(options, body, outcome.turn, recovery);
    const { error } = outcome;
    if (error.status === 413 && error.code === undefined) error.message += ` (${Buffer.byteLength(JSON.stringify(body)).toLocaleString('en-US')} bytes)`;
    if (error.kind === 'context') return void (yield contextError(options, body, undefined, error));
    const retry = error.retryable && error.unreachable !== 'down' && !(error.unreachable && options.retryUnreachable === false);
    if (!retry || attempt > maxRetries) return void (yield finalError(error, attempt - 1));
    const delayMs = backoffDelay(attempt, options.retryBaseDelayMs, error.retryAfterMs);
    yield { type: 'retry', attempt: attempt + 1, maxAttempts: maxRetries + 1, delayMs, reason: error.message };
    await sleep(delayMs, signal);
  }
}
