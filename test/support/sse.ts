// SSE emission for the fake GLM server: builds chunks in the exact shape of each server profile
// (Z.ai 2026 / legacy, OpenRouter, vLLM; glm-protocol.md §5, §7.7, §8.2) and writes them with faults.

import type http from 'node:http';

type Json = Record<string, unknown>;

export type Profile = 'zai-2026' | 'zai-legacy' | 'openrouter' | 'vllm';

export type Fault = { type: 'drop' } | { type: 'idle'; ms: number } | { type: 'corrupt' };

export interface PlannedCall {
  id?: string;
  name: string;
  /** Exact argument text to stream. */
  arguments: string;
}

export interface StreamPlan {
  content: string;
  reasoning: string;
  toolCalls: PlannedCall[];
  finish: string;
  chunkSize?: number;
  delayMs?: number;
  usage?: Json | null;
  profile?: Profile;
  split?: boolean;
  duplicateFinal?: boolean;
  fault?: Fault;
}

/** The corrupt line of anomalyco/opencode#8431 (two events glued together). */
export const CORRUPT_LINE = 'data: {"id":data: {"id":"20260114190457bebb028fd3f84ae9","created":1768388697,"object":"chat.completion.chunk"\n\n';

const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('');

/** Z.ai request id: `YYYYMMDDhhmmss` + 16 hex. */
export function zaiId(now = new Date()): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14) + hex(16);
}

export const toolCallId = (): string => `call_${hex(24)}`;

function pieces(text: string, size: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

function computedUsage(plan: StreamPlan, body: any): Json {
  const prompt = tokens(JSON.stringify(body?.messages ?? []));
  const reasoning = tokens(plan.reasoning);
  const completion = reasoning + tokens(plan.content) + tokens(plan.toolCalls.map((c) => c.name + c.arguments).join(''));
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

type DeltaKind = 'reasoning' | 'content' | 'tools' | 'finish';

/** Builds one chunk object in the profile's shape. */
class Chunker {
  private readonly id: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private first = true;
  constructor(
    readonly profile: Profile,
    private readonly model: string,
  ) {
    this.id =
      profile === 'openrouter' ? `gen-${this.created}-${hex(20)}` : profile === 'vllm' ? `chatcmpl-${hex(32)}` : zaiId();
  }

  delta(kind: DeltaKind, value: unknown): Json {
    const p = this.profile;
    const role = p === 'vllm' ? (this.first ? { role: 'assistant' } : {}) : { role: 'assistant' };
    this.first = false;
    if (kind === 'reasoning') {
      if (p === 'openrouter') {
        return { content: '', role: 'assistant', reasoning: value, reasoning_details: [{ type: 'reasoning.text', text: value, format: 'unknown', index: 0 }] };
      }
      return { ...role, reasoning_content: value };
    }
    if (kind === 'content') return p === 'openrouter' ? { content: value, role: 'assistant' } : { ...role, content: value };
    if (kind === 'tools') {
      if (p === 'openrouter') return { content: null, role: 'assistant', tool_calls: value };
      return p === 'vllm' ? { ...role, tool_calls: value } : { tool_calls: value };
    }
    return p === 'vllm' ? { content: '' } : { role: 'assistant', content: '' };
  }

  chunk(delta: Json, finish?: string, usage?: Json): Json {
    const p = this.profile;
    let choice: Json;
    if (p === 'openrouter') choice = { index: 0, delta, finish_reason: finish ?? null, native_finish_reason: finish ?? null };
    else if (p === 'vllm') choice = { index: 0, delta, logprobs: null, finish_reason: finish ?? null, ...(finish ? { stop_reason: null } : {}) };
    else choice = finish ? { index: 0, finish_reason: finish, delta } : { index: 0, delta };
    const out: Json =
      p === 'openrouter' || p === 'vllm'
        ? { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model }
        : { id: this.id, created: this.created, object: 'chat.completion.chunk', model: this.model };
    if (p === 'zai-legacy') delete out.object;
    if (p === 'openrouter') out.provider = 'Z.AI';
    out.choices = [choice];
    if (usage) out.usage = usage;
    return out;
  }

  usageOnly(usage: Json): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
  }
}

/** The tool-call deltas of a plan: whole calls, or tool_stream fragments. */
function toolDeltas(plan: StreamPlan, size: number): Json[][] {
  const out: Json[][] = [];
  plan.toolCalls.forEach((call, index) => {
    const id = call.id ?? toolCallId();
    const split = plan.split || plan.profile === 'openrouter';
    if (!split) {
      out.push([{ id, index, type: 'function', function: { name: call.name, arguments: call.arguments } }]);
      return;
    }
    out.push([{ id, index, type: 'function', function: { name: call.name, arguments: '' } }]);
    for (const part of pieces(call.arguments, size)) out.push([{ index, function: { arguments: part } }]);
    if (plan.duplicateFinal) out.push([{ index, function: { arguments: call.arguments } }]);
  });
  return out;
}

/** The events of a planned stream: comments first, then deltas, then finish/usage/[DONE]. */
export interface PlannedEvents {
  head: string[];
  deltas: string[];
  tail: string[];
}

export function planEvents(plan: StreamPlan, body: any): PlannedEvents {
  const profile = plan.profile ?? 'zai-2026';
  const c = new Chunker(profile, typeof body?.model === 'string' ? body.model : 'glm-4.7');
  const size = plan.chunkSize ?? 8;
  const data = (obj: Json): string => `data: ${JSON.stringify(obj)}\n\n`;
  const head = profile === 'openrouter' ? [': OPENROUTER PROCESSING\n\n', ': OPENROUTER PROCESSING\n\n'] : [];
  const deltas: string[] = [];
  for (const part of pieces(plan.reasoning, size)) deltas.push(data(c.chunk(c.delta('reasoning', part))));
  for (const part of pieces(plan.content, size)) deltas.push(data(c.chunk(c.delta('content', part))));
  for (const calls of toolDeltas({ ...plan, profile }, size)) deltas.push(data(c.chunk(c.delta('tools', calls))));
  const usage = plan.usage === null ? undefined : (plan.usage ?? computedUsage(plan, body));
  const tail: string[] = [];
  if (profile === 'openrouter') {
    tail.push(data(c.chunk(c.delta('finish', null), plan.finish)));
    tail.push(data(c.chunk(c.delta('finish', null), plan.finish, usage)));
  } else if (profile === 'vllm') {
    tail.push(data(c.chunk(c.delta('finish', null), plan.finish)));
    if (usage) tail.push(data(c.usageOnly(usage)));
  } else {
    tail.push(data(c.chunk(c.delta('finish', null), plan.finish, usage)));
  }
  tail.push('data: [DONE]\n\n');
  return { head, deltas, tail };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What to write for a fault, and what to do after it. */
function faultCut(ev: PlannedEvents, fault: Fault | undefined): { send: string[]; then: 'end' | 'drop' | 'idle' } {
  const { head, deltas, tail } = ev;
  if (!fault) return { send: [...head, ...deltas, ...tail], then: 'end' };
  if (fault.type === 'idle') return { send: [...head, ...deltas.slice(0, 1)], then: 'idle' };
  if (fault.type === 'drop') return { send: [...head, ...deltas], then: 'drop' };
  return { send: [...head, ...deltas.slice(0, 1), CORRUPT_LINE, ...deltas.slice(1), ...tail], then: 'end' };
}

export async function emitStream(res: http.ServerResponse, plan: StreamPlan, ctx: { profile: Profile; body: any }): Promise<void> {
  const { send, then } = faultCut(planEvents({ ...plan, profile: ctx.profile }, ctx.body), plan.fault);
  res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8', 'Cache-Control': 'no-cache' });
  for (const event of send) {
    if (res.destroyed) return;
    if (plan.delayMs) await wait(plan.delayMs);
    res.write(event);
  }
  if (then === 'end') return void res.end();
  if (then === 'drop') {
    await wait(20);
    return void res.destroy();
  }
  const ms = plan.fault?.type === 'idle' ? plan.fault.ms : 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => (clearTimeout(timer), resolve()));
  });
  res.destroy();
}
