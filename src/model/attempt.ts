// One HTTP attempt: sends the body through the openai SDK's raw chunk iterator, yields delta events, and
// returns how it ended (finished turn, classified failure, or abort). Watches for idle streams (no complete SSE
// block for the idle timeout) and for responses past their whole-response deadline. No retries here.

import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { createAccumulator, type AccumulatedTurn } from './accumulate.ts';
import type { Body } from './dialects/index.ts';
import { causeText, classifyHttpError, htmlPageError, networkError, parseBody, unreachableCode, unreachableKind, type ClassifiedError, type ErrorContext } from './errors.ts';
import type { ModelEvent } from '../types.ts';
import { HtmlPageError, ON_BLOCK } from './observing-fetch.ts';

export type AttemptOutcome =
  | { type: 'finished'; turn: AccumulatedTurn }
  | { type: 'failed'; error: ClassifiedError }
  | { type: 'aborted' };

export interface AttemptDeps {
  openai: OpenAI;
  ctx: ErrorContext;
  idleTimeoutMs: number;
  /** One attempt (headers to the last event) taking longer than this is aborted and retried (0: no deadline). */
  responseTimeoutMs?: number;
  /** Raw text of HTTP error bodies, keyed by the response's Headers object (the SDK drops `request_id`). */
  errorBodies: WeakMap<Headers, string>;
}

/** Classify whatever the SDK threw (the attempt's own abort is handled by the caller). */
export function classifyThrown(err: unknown, deps: AttemptDeps, started: boolean): ClassifiedError {
  const { ctx } = deps;
  if (err instanceof APIConnectionError && err.cause instanceof HtmlPageError) return htmlPageError(ctx);
  if (err instanceof APIConnectionTimeoutError) {
    // undici's connect timeout (a host that drops packets) arrives as a timeout too: nothing answered at all.
    if (unreachableCode(err)) return { ...networkError('could not connect (the connection timed out)', ctx), unreachable: 'maybe' };
    return networkError('timed out waiting for a response', ctx);
  }
  if (err instanceof APIConnectionError) {
    const cause = causeText(err);
    // fetch never connects to ports on the WHATWG "bad ports" list (6000, 6665-6669, …): retrying cannot help.
    if (cause === 'bad port') {
      const port = new URL(ctx.baseURL).port;
      return { ...networkError(`could not connect: Node's fetch refuses to use port ${port} (a port browsers block); run the server on another port`, ctx), retryable: false };
    }
    // A connection that broke (reset, closed) is worth a retry even when connecting is not.
    const code = unreachableCode(err);
    if (!code) return networkError(`could not connect (${cause})`, ctx);
    const { unreachable, hint } = unreachableKind(code);
    return { ...networkError(`could not connect (${cause})${hint}`, ctx), unreachable };
  }
  if (err instanceof APIError) {
    const text = err.headers ? deps.errorBodies.get(err.headers) : undefined;
    const body = text !== undefined ? parseBody(text) : { error: err.error };
    return classifyHttpError({ status: err.status, body, headers: err.headers }, ctx);
  }
  if (err instanceof SyntaxError) return networkError(`sent a corrupt stream event (${err.message})`, ctx);
  const where = started ? 'the connection dropped mid-response' : 'the request failed';
  return networkError(`${where} (${causeText(err)})`, ctx);
}

/**
 * Aborts the attempt when no complete SSE block arrives for `ms`. Each block re-arms it (keep-alive comments
 * count, a trickle of bytes does not); it is paused while the consumer handles events, so a slow consumer is
 * never mistaken for a stall.
 */
function idleWatch(ms: number, attempt: AbortController) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let paused = false;
  const state = {
    fired: false,
    /** After a finish only usage or [DONE] can follow: wait at most `grace` for them. */
    shorten(grace: number): void {
      if (ms <= 0 || grace < ms) ms = grace;
    },
    arm(): void {
      state.stop();
      paused = false;
      if (ms > 0) timer = setTimeout(() => ((state.fired = true), attempt.abort()), ms);
    },
    block(): void {
      if (!paused) state.arm();
    },
    pause(): void {
      state.stop();
      paused = true;
    },
    stop(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
  return state;
}

/** A server that finished but keeps the connection open is not waited on for the full idle timeout. */
const AFTER_FINISH_GRACE_MS = 3_000;

/** Rewrites each delta event before it is yielded (text recovery); identity by default. */
type EventMap = (event: ModelEvent) => ModelEvent[];

export async function* runAttempt(
  deps: AttemptDeps,
  body: Body,
  signal: AbortSignal,
  map: EventMap = (event) => [event],
): AsyncGenerator<ModelEvent, AttemptOutcome, undefined> {
  const attempt = new AbortController();
  const forward = (): void => attempt.abort();
  signal.addEventListener('abort', forward, { once: true });
  const idle = idleWatch(deps.idleTimeoutMs, attempt);
  const deadline = { fired: false };
  const limit = deps.responseTimeoutMs ?? 0;
  const deadlineTimer = limit > 0 ? setTimeout(() => ((deadline.fired = true), attempt.abort()), limit) : undefined;
  const acc = createAccumulator();
  let started = false;
  try {
    idle.arm();
    const fetchOptions = { [ON_BLOCK]: idle.block } as never;
    const stream = await deps.openai.chat.completions.create(body as never, { signal: attempt.signal, fetchOptions });
    idle.arm();
    for await (const chunk of stream as unknown as AsyncIterable<unknown>) {
      started = true;
      idle.pause();
      for (const event of acc.push(chunk)) yield* map(event);
      if (acc.result().finishReason !== null) idle.shorten(AFTER_FINISH_GRACE_MS);
      idle.arm();
    }
  } catch (err) {
    if (signal.aborted) return { type: 'aborted' };
    const timedOut = idle.fired || deadline.fired;
    if (!timedOut || !(err instanceof APIUserAbortError || attempt.signal.aborted)) {
      return { type: 'failed', error: classifyThrown(err, deps, started) };
    }
  } finally {
    idle.stop();
    clearTimeout(deadlineTimer);
    signal.removeEventListener('abort', forward);
    attempt.abort();
  }
  return settle(acc.result(), deps, signal, idle.fired ? 'idle' : deadline.fired ? 'deadline' : undefined);
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

function settle(turn: AccumulatedTurn, deps: AttemptDeps, signal: AbortSignal, timedOut?: 'idle' | 'deadline'): AttemptOutcome {
  if (signal.aborted) return { type: 'aborted' };
  if (timedOut === 'idle' && turn.finishReason === null) {
    return { type: 'failed', error: networkError(`no complete event for ${seconds(deps.idleTimeoutMs)} s; the stream stalled`, deps.ctx) };
  }
  if (timedOut === 'deadline' && turn.finishReason === null) {
    const limit = seconds(deps.responseTimeoutMs ?? 0);
    return { type: 'failed', error: networkError(`the response did not finish within ${limit} s (responseTimeoutMs)`, deps.ctx) };
  }
  if (turn.finishReason === null) {
    const what = turn.chunks === 0 ? 'the server closed the stream without sending anything' : 'the stream ended before the response finished';
    return { type: 'failed', error: networkError(what, deps.ctx) };
  }
  if (turn.finishReason === 'network_error') {
    return { type: 'failed', error: networkError('the model failed mid-response (finish_reason "network_error")', deps.ctx) };
  }
  return { type: 'finished', turn };
}
