// Token estimates for requests before they are sent, calibrated against the server's real prompt_tokens.
// There is no GLM tokenizer on npm: text is counted at ~4 ASCII characters per token, other scripts denser.
// Imports only types.ts.
import type { Message, ModelRequest, ToolSchema } from '../types.ts';

/** Role, separators and the like that every message costs on top of its text. */
const MESSAGE_OVERHEAD = 4;
const NON_ASCII = /[^\x00-\x7f]/g;

/** A rough count: ASCII at 4 characters a token, other characters (CJK, accents) at ~0.7 tokens each. */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const other = text.match(NON_ASCII)?.length ?? 0;
  return Math.ceil((text.length - other) / 4 + other * 0.7);
}

// History messages never change once pushed (stubbing replaces the object), so their counts are cached.
const messageCache = new WeakMap<Message, number>();

export function estimateMessage(m: Message): number {
  const cached = messageCache.get(m);
  if (cached !== undefined) return cached;
  let n = MESSAGE_OVERHEAD + estimateTokens(m.content);
  if (m.role === 'user') {
    // A vision model's image: about one token per 28×28 patch; a text-only model reads its description.
    for (const img of m.images ?? []) n += img.description ? estimateTokens(img.description) + 30 : Math.ceil((img.width * img.height) / 784);
  }
  if (m.role === 'assistant') {
    n += estimateTokens(m.reasoning ?? '');
    for (const call of m.toolCalls ?? []) n += MESSAGE_OVERHEAD + estimateTokens(call.name) + estimateTokens(call.arguments);
  }
  messageCache.set(m, n);
  return n;
}

export function estimateMessages(messages: readonly Message[]): number {
  let n = 0;
  for (const m of messages) n += estimateMessage(m);
  return n;
}

const schemaCache = new WeakMap<readonly ToolSchema[], number>();

function estimateSchemas(tools: readonly ToolSchema[]): number {
  let n = schemaCache.get(tools);
  if (n === undefined) {
    n = estimateTokens(JSON.stringify(tools));
    schemaCache.set(tools, n);
  }
  return n;
}

/** The uncalibrated estimate of a whole request: system prompt, tool schemas and messages. */
export function estimateRequest(request: ModelRequest): number {
  return estimateTokens(request.system) + estimateSchemas(request.tools) + estimateMessages(request.messages);
}

/**
 * Scales raw estimates by how far the last one was from the server's count for the same request, so the
 * estimate of the next request (mostly the same text plus a little) is close to what the server will say.
 */
export class TokenCalibrator {
  /** Real tokens per estimated token, from the last request with usage. */
  ratio = 1;
  private lastRaw = 0;

  /** The calibrated estimate; remembers the raw one so that `observe` can compare. */
  estimate(request: ModelRequest): number {
    this.lastRaw = estimateRequest(request);
    return Math.ceil(this.lastRaw * this.ratio);
  }

  /** Calibrated estimate of any text or message count (no request is remembered). */
  scale(rawTokens: number): number {
    return Math.ceil(rawTokens * this.ratio);
  }

  /** The server's prompt_tokens for the request last passed to `estimate`. */
  observe(promptTokens: number): void {
    if (promptTokens <= 0 || this.lastRaw <= 0) return;
    // Bounded, so one odd count (a server that reports 0 or counts differently) cannot derail the estimate.
    this.ratio = Math.min(4, Math.max(0.25, promptTokens / this.lastRaw));
  }
}
